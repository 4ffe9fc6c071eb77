#pragma once

#include <pricetable.h>

#include <QDialog>

#include <string>
#include <vector>

class QLabel;
class QLineEdit;
class QTableWidget;

namespace Tracelight {

// Edits the user's own model prices (prices.json), which override or extend the shipped table; shows the shipped
// table read-only, and lists the models in the cache that have no price so the user can add them.
class PriceEditorDialog final : public QDialog
{
    Q_OBJECT
public:
    enum Column
    {
        ModelsColumn,
        ViaColumn,
        InputColumn,
        OutputColumn,
        CacheReadColumn,
        CacheWriteColumn,
        ReasoningColumn,
        FromColumn,
        UntilColumn,
        NoteColumn,
        ColumnCount
    };

    PriceEditorDialog(
        const std::string& userFile, const std::vector<std::string>& unpricedModels, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    void addRow(const PriceEntry& entry);
    // Validates the rows and writes the user file; on a problem, returns false with an error naming the row.
    bool save(QString* error);

signals:
    void pricesSaved();

private:
    void loadUserFile();
    void fillShipped(const QString& filter);
    void accept() override;

    std::string m_userFile;
    QTableWidget* m_table = nullptr;
    QTableWidget* m_shipped = nullptr;
    QLabel* m_unpriced = nullptr;
};

} // namespace Tracelight
