#include "priceeditordialog.h"

#include <format.h>

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Tracelight {

namespace {

QString joined(const std::vector<std::string>& values)
{
    QStringList list;
    for (const std::string& value : values)
        list << Format::fromUtf8(value);
    return list.join(QStringLiteral(", "));
}

QString rate(const std::optional<double>& value)
{
    return value ? QString::number(*value, 'g', 10) : QString();
}

QStringList headers()
{
    return { QObject::tr("Models (patterns)"), QObject::tr("Via providers"), QObject::tr("Input"),
        QObject::tr("Output"), QObject::tr("Cache read"), QObject::tr("Cache write"), QObject::tr("Reasoning"),
        QObject::tr("From"), QObject::tr("Until"), QObject::tr("Note") };
}

void setRow(QTableWidget* table, int row, const PriceEntry& e)
{
    const QStringList cells = { joined(e.patterns), joined(e.via), rate(e.price.input), rate(e.price.output),
        rate(e.price.cacheRead), rate(e.price.cacheWrite), rate(e.price.reasoning), Format::fromUtf8(e.from),
        Format::fromUtf8(e.until), Format::fromUtf8(e.note.empty() ? e.provider : e.note) };
    for (int c = 0; c < cells.size(); ++c)
        table->setItem(row, c, new QTableWidgetItem(cells[c]));
}

} // namespace

PriceEditorDialog::PriceEditorDialog(
    const std::string& userFile, const std::vector<std::string>& unpricedModels, QWidget* parent)
    : QDialog(parent)
    , m_userFile(userFile)
    , m_table(new QTableWidget(0, ColumnCount))
    , m_shipped(new QTableWidget(0, ColumnCount))
    , m_unpriced(new QLabel)
{
    setWindowTitle(tr("Model Prices"));
    resize(1000, 560);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Prices are in USD per million tokens. Your prices override the shipped ones for the "
                                "models they name, and add models the shipped table lacks. A pattern such as "
                                "<code>gpt-4o</code> also matches <code>gpt-4o-2024-08-06</code> and "
                                "<code>openai/gpt-4o</code>; the longest matching pattern wins. Empty cache and "
                                "reasoning rates mean the input and output rates. Dates are YYYY-MM-DD (UTC).<br>"
                                "Saved in <code>%1</code>.")
                                 .arg(QString::fromStdString(userFile).toHtmlEscaped()));
    intro->setWordWrap(true);
    intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(intro);

    auto* tabs = new QTabWidget;
    auto* mine = new QWidget;
    auto* mineLayout = new QVBoxLayout(mine);
    m_table->setHorizontalHeaderLabels(headers());
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ModelsColumn, 220);
    m_table->verticalHeader()->setVisible(false);
    mineLayout->addWidget(m_table, 1);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add Price"));
    auto* remove = new QPushButton(tr("Remove"));
    auto* addUnpriced = new QPushButton(tr("Add the Unpriced Models"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(addUnpriced);
    mineLayout->addLayout(buttons);
    m_unpriced->setWordWrap(true);
    m_unpriced->setTextFormat(Qt::PlainText);
    m_unpriced->setText(unpricedModels.empty()
            ? tr("Every model in the cache has a price.")
            : tr("Models in the cache without a price (their calls show an unknown cost): %1")
                  .arg(joined(unpricedModels)));
    addUnpriced->setEnabled(!unpricedModels.empty());
    mineLayout->addWidget(m_unpriced);
    tabs->addTab(mine, tr("Your Prices"));

    auto* shipped = new QWidget;
    auto* shippedLayout = new QVBoxLayout(shipped);
    const PriceTable& builtIn = PriceTable::builtIn();
    auto* note
        = new QLabel(tr("Compiled %1. %2")
                         .arg(Format::fromUtf8(builtIn.compiled()), Format::fromUtf8(builtIn.note()).toHtmlEscaped()));
    note->setWordWrap(true);
    shippedLayout->addWidget(note);
    auto* filter = new QLineEdit;
    filter->setPlaceholderText(tr("Filter by model or provider"));
    filter->setClearButtonEnabled(true);
    shippedLayout->addWidget(filter);
    m_shipped->setHorizontalHeaderLabels(headers());
    m_shipped->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_shipped->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_shipped->horizontalHeader()->setStretchLastSection(true);
    m_shipped->setColumnWidth(ModelsColumn, 260);
    m_shipped->verticalHeader()->setVisible(false);
    shippedLayout->addWidget(m_shipped, 1);
    auto* copy = new QPushButton(tr("Copy to Your Prices"));
    copy->setToolTip(tr("Start an override from the selected shipped prices"));
    shippedLayout->addWidget(copy, 0, Qt::AlignRight);
    tabs->addTab(shipped, tr("Shipped Prices"));
    layout->addWidget(tabs, 1);

    auto* box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    layout->addWidget(box);
    connect(box, &QDialogButtonBox::accepted, this, &PriceEditorDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(add, &QPushButton::clicked, this, [this] {
        PriceEntry empty;
        empty.price.input = 0;
        addRow(empty);
        m_table->item(m_table->rowCount() - 1, ModelsColumn)->setText(QString());
        m_table->editItem(m_table->item(m_table->rowCount() - 1, ModelsColumn));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
            rows << index.row();
        if (rows.isEmpty() && m_table->currentRow() >= 0)
            rows << m_table->currentRow();
        std::sort(rows.begin(), rows.end(), std::greater<>());
        for (const int row : rows)
            m_table->removeRow(row);
    });
    connect(addUnpriced, &QPushButton::clicked, this, [this, unpricedModels] {
        for (const std::string& model : unpricedModels) {
            if (model.empty())
                continue;
            PriceEntry entry;
            entry.patterns = { model };
            addRow(entry);
        }
    });
    connect(filter, &QLineEdit::textChanged, this, &PriceEditorDialog::fillShipped);
    connect(copy, &QPushButton::clicked, this, [this, tabs] {
        const std::vector<PriceEntry>& entries = PriceTable::builtIn().entries();
        for (const QModelIndex& index : m_shipped->selectionModel()->selectedRows()) {
            const int entry = m_shipped->item(index.row(), 0)->data(Qt::UserRole).toInt();
            PriceEntry copied = entries[std::size_t(entry)];
            copied.note.clear();
            addRow(copied);
        }
        tabs->setCurrentIndex(0);
    });
    loadUserFile();
    fillShipped({});
}

void PriceEditorDialog::addRow(const PriceEntry& entry)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    setRow(m_table, row, entry);
}

void PriceEditorDialog::loadUserFile()
{
    if (!QFileInfo::exists(QString::fromStdString(m_userFile)))
        return;
    try {
        const PriceTable mine = PriceTable::fromFile(m_userFile, true);
        for (const PriceEntry& entry : mine.entries())
            addRow(entry);
    } catch (const PriceTableError& error) {
        m_unpriced->setText(
            tr("Your price file cannot be read: %1. Saving replaces it.").arg(QString::fromUtf8(error.what())));
    }
}

void PriceEditorDialog::fillShipped(const QString& filter)
{
    m_shipped->setRowCount(0);
    const std::vector<PriceEntry>& entries = PriceTable::builtIn().entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const PriceEntry& e = entries[i];
        const QString text = joined(e.patterns) + QLatin1Char(' ') + Format::fromUtf8(e.provider);
        if (!filter.isEmpty() && !text.contains(filter, Qt::CaseInsensitive))
            continue;
        const int row = m_shipped->rowCount();
        m_shipped->insertRow(row);
        setRow(m_shipped, row, e);
        m_shipped->item(row, 0)->setData(Qt::UserRole, int(i));
    }
}

bool PriceEditorDialog::save(QString* error)
{
    const auto cell = [this](int row, int column) {
        const QTableWidgetItem* item = m_table->item(row, column);
        return item ? item->text().trimmed() : QString();
    };
    QJsonArray models;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString where = tr("Row %1").arg(row + 1);
        QJsonObject object;
        QJsonArray patterns;
        for (const QString& pattern : cell(row, ModelsColumn).split(QLatin1Char(','), Qt::SkipEmptyParts))
            patterns.append(pattern.trimmed());
        if (patterns.isEmpty()) {
            *error = tr("%1: name at least one model.").arg(where);
            return false;
        }
        object.insert(QStringLiteral("models"), patterns);
        QJsonArray via;
        for (const QString& provider : cell(row, ViaColumn).split(QLatin1Char(','), Qt::SkipEmptyParts))
            via.append(provider.trimmed());
        if (!via.isEmpty())
            object.insert(QStringLiteral("via"), via);
        const std::array<std::pair<int, const char*>, 5> rates
            = { { { InputColumn, "input" }, { OutputColumn, "output" }, { CacheReadColumn, "cache_read" },
                { CacheWriteColumn, "cache_write" }, { ReasoningColumn, "reasoning" } } };
        for (const auto& [column, field] : rates) {
            const QString text = cell(row, column);
            if (text.isEmpty())
                continue;
            bool ok = false;
            const double value = text.toDouble(&ok);
            if (!ok || value < 0) {
                *error = tr("%1: %2 must be a number ≥ 0 (USD per million tokens), not \"%3\".")
                             .arg(where, headers().at(column), text);
                return false;
            }
            object.insert(QLatin1String(field), value);
        }
        for (const auto& [column, field] :
            { std::pair { int(FromColumn), "from" }, std::pair { int(UntilColumn), "until" } }) {
            if (!cell(row, column).isEmpty())
                object.insert(QLatin1String(field), cell(row, column));
        }
        if (!cell(row, NoteColumn).isEmpty())
            object.insert(QStringLiteral("note"), cell(row, NoteColumn));
        models.append(object);
    }
    const QByteArray json = QJsonDocument(
        QJsonObject { { QStringLiteral("schema"), 1 }, { QStringLiteral("currency"), QStringLiteral("USD") },
            { QStringLiteral("unit"), QStringLiteral("per million tokens") },
            { QStringLiteral("models"),
                models } }).toJson(QJsonDocument::Indented);
    try {
        // The same parser as at load time: what saves is what loads.
        PriceTable::fromJson(std::string_view(json.constData(), std::size_t(json.size())), "prices", true);
    } catch (const PriceTableError& e) {
        const QString message = QString::fromUtf8(e.what());
        const QRegularExpressionMatch m
            = QRegularExpression(QStringLiteral("^prices: models\\[(\\d+)\\]: (.*)$")).match(message);
        *error = m.hasMatch() ? tr("Row %1: %2").arg(m.captured(1).toInt() + 1).arg(m.captured(2)) : message;
        return false;
    }
    const QString path = QString::fromStdString(m_userFile);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    emit pricesSaved();
    return true;
}

void PriceEditorDialog::accept()
{
    QString error;
    if (!save(&error)) {
        QMessageBox::warning(this, tr("Model Prices"), error);
        return;
    }
    QDialog::accept();
}

} // namespace Tracelight
