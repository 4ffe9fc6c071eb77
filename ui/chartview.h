#pragma once

#include <QChartView>

class QLabel;

namespace Tracelight {

// A chart in Tracelight's light or dark theme, with a placeholder for empty data, hover tips, and export as PNG or
// SVG (right-click). Owners rebuild the chart from their data with reset() and again on paletteChanged().
class ChartView final : public QChartView
{
    Q_OBJECT
public:
    explicit ChartView(const QString& title, QWidget* parent = nullptr);
    ~ChartView() override;

    // A fresh, themed chart that replaces the current one (whose series and axes go with it).
    QChart* reset();
    QString title() const { return m_title; }
    void setTitle(const QString& title);
    // Shown over an empty chart ("No LLM calls in this run"); an empty text hides it.
    void setPlaceholder(const QString& text);
    QString placeholder() const;

    // Writes the chart to path: SVG when it ends in .svg, else PNG. Returns false and sets error on failure.
    bool exportTo(const QString& path, QString* error = nullptr);
    void showTip(const QString& text);
    void hideTip();

    static bool dark();
    // The series colours, distinct in both themes.
    static QColor color(int index);
    static QColor errorColor();
    static QColor okColor();

signals:
    void paletteChanged();

protected:
    void changeEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void exportDialog(const QString& suffix);

    QString m_title;
    QLabel* m_placeholder = nullptr;
};

} // namespace Tracelight
