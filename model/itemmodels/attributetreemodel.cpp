#include "attributetreemodel.h"

#include "format.h"
#include "modelroles.h"

#include <attributeview.h>
#include <jsonfield.h>

#include <QCoreApplication>

#include <nlohmann/json.hpp>

namespace Tracelight {

using nlohmann::json;

struct AttributeTreeModel::Node
{
    QString key;
    QString value; // one line, cut
    std::string full; // the whole value as text
    std::string jsonText; // the value as JSON
    QString path;
    Node* parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;

    Node* add(QString childKey, QString childPath)
    {
        auto child = std::make_unique<Node>();
        child->key = std::move(childKey);
        child->path = std::move(childPath);
        child->parent = this;
        child->row = int(children.size());
        children.push_back(std::move(child));
        return children.back().get();
    }
};

namespace {

// OTLP AnyValue to plain JSON, the importers' conversion; what is no AnyValue passes through.
json plain(const json& value)
{
    return AttributeView::fromAnyValueOrPlain(value);
}

QString oneLine(const std::string& text)
{
    QString shown = Format::fromUtf8(text.substr(0, std::size_t(AttributeTreeModel::MaxShownCharacters) * 4));
    shown = shown.simplified();
    if (shown.size() > AttributeTreeModel::MaxShownCharacters
        || text.size() > std::size_t(AttributeTreeModel::MaxShownCharacters) * 4)
        shown = shown.left(AttributeTreeModel::MaxShownCharacters) + QStringLiteral("…");
    return shown;
}

void fill(AttributeTreeModel::Node* node, const json& value, int depth);

void fillChildren(AttributeTreeModel::Node* node, const json& value, int depth)
{
    if (depth > 32)
        return;
    int count = 0;
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (++count > AttributeTreeModel::MaxChildren) {
                node->add(QStringLiteral("…"), node->path)->value = QCoreApplication::translate(
                    "AttributeTreeModel", "%n more", nullptr, int(value.size()) - AttributeTreeModel::MaxChildren);
                return;
            }
            const QString key = Format::fromUtf8(it.key());
            fill(node->add(key, node->path + QLatin1Char('.') + key), it.value(), depth + 1);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (++count > AttributeTreeModel::MaxChildren) {
                node->add(QStringLiteral("…"), node->path)->value = QCoreApplication::translate(
                    "AttributeTreeModel", "%n more", nullptr, int(value.size()) - AttributeTreeModel::MaxChildren);
                return;
            }
            const QString key = QStringLiteral("[%1]").arg(i);
            fill(node->add(key, node->path + key), value[i], depth + 1);
        }
    }
}

void fill(AttributeTreeModel::Node* node, const json& value, int depth)
{
    node->jsonText = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (value.is_string()) {
        node->full = value.get<std::string>();
        node->value = oneLine(node->full);
        // A string that holds JSON (messages, tool arguments) opens like a structured value.
        const std::string& s = value.get_ref<const std::string&>();
        const std::size_t first = s.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && (s[first] == '{' || s[first] == '[')) {
            const json parsed = JsonField::parse(s);
            if (!parsed.is_discarded())
                fillChildren(node, parsed, depth);
        }
        return;
    }
    node->full = node->jsonText;
    if (value.is_object())
        node->value = QStringLiteral("{%1}").arg(value.size());
    else if (value.is_array())
        node->value = QStringLiteral("[%1]").arg(value.size());
    else
        node->value = oneLine(node->full);
    fillChildren(node, value, depth);
}

// A KeyValue list in OTLP JSON form under a group node.
void fillKeyValues(AttributeTreeModel::Node* group, const std::string& keyValueJson)
{
    const json list = JsonField::parse(keyValueJson);
    if (!list.is_array())
        return;
    json object = json::object();
    for (const json& entry : list) {
        if (entry.is_object())
            fill(group->add(Format::fromUtf8(entry.value("key", std::string())),
                     group->path + QLatin1Char('.') + Format::fromUtf8(entry.value("key", std::string()))),
                plain(entry.value("value", json())), 1);
    }
    group->value = QStringLiteral("%1").arg(group->children.size());
}

} // namespace

AttributeTreeModel::AttributeTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{ }

AttributeTreeModel::~AttributeTreeModel() = default;

void AttributeTreeModel::setStep(const StepDetail* detail)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    if (detail) {
        fillKeyValues(m_root->add(tr("Span attributes"), QStringLiteral("span")), detail->step.attributesJson);
        fillKeyValues(m_root->add(tr("Resource"), QStringLiteral("resource")), detail->step.resource->attributesJson);
        Node* scope = m_root->add(tr("Scope"), QStringLiteral("scope"));
        scope->value = Format::fromUtf8(
            detail->step.scope->name + (detail->step.scope->version.empty() ? "" : " " + detail->step.scope->version));
        scope->full = scope->value.toStdString();
        for (const auto& [name, text] : { std::pair { tr("Events"), &detail->step.eventsJson },
                 std::pair { tr("Links"), &detail->step.linksJson } }) {
            Node* group = m_root->add(name, name.toLower());
            const json list = JsonField::parse(*text);
            if (!list.is_array())
                continue;
            json converted = json::array();
            for (const json& item : list) {
                if (!item.is_object()) {
                    converted.push_back(item);
                    continue;
                }
                json copy = item;
                // Their attributes are KeyValue lists too: show them as maps.
                if (copy.contains("attributes") && copy["attributes"].is_array()) {
                    json attributes = json::object();
                    for (const json& entry : copy["attributes"]) {
                        if (entry.is_object())
                            attributes[entry.value("key", std::string())] = plain(entry.value("value", json()));
                    }
                    copy["attributes"] = attributes;
                }
                converted.push_back(copy);
            }
            fillChildren(group, converted, 1);
            group->value = QString::number(group->children.size());
        }
    }
    endResetModel();
}

QModelIndex AttributeTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node* node = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : m_root.get();
    return createIndex(row, column, node->children[std::size_t(row)].get());
}

QModelIndex AttributeTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* node = static_cast<const Node*>(child.internalPointer());
    const Node* parent = node->parent;
    if (!parent || parent == m_root.get())
        return {};
    return createIndex(parent->row, 0, const_cast<Node*>(parent));
}

int AttributeTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    const Node* node = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : m_root.get();
    return int(node->children.size());
}

int AttributeTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant AttributeTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node* node = static_cast<const Node*>(index.internalPointer());
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == KeyColumn ? node->key : node->value;
    case Qt::ToolTipRole:
        return index.column() == KeyColumn ? QVariant(Format::plainToolTip(node->path)) : QVariant();
    case AttributePathRole:
        return node->path;
    case AttributeValueRole:
        return Format::fromUtf8(node->full);
    case AttributeJsonRole:
        return Format::fromUtf8(node->jsonText.empty() ? json(node->full).dump() : node->jsonText);
    default:
        return {};
    }
}

QVariant AttributeTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == KeyColumn ? tr("Key") : tr("Value");
}

} // namespace Tracelight
