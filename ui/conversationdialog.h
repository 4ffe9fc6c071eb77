#pragma once

#include <sessions.h>

#include <QDialog>

#include <set>

class QLabel;
class QTextBrowser;

namespace Tracelight {

// A session (runs that share a session id) as one chat transcript: each turn's user message and final answer, with
// its time, steps, tokens, cost, errors and findings; a turn's link opens its run at that turn.
class ConversationDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ConversationDialog(QWidget* parent = nullptr);

    void setLoading(const QString& sessionId);
    void setTranscript(const QString& sessionId, const std::vector<Sessions::Turn>& turns);
    QString html() const;

    // The transcript as HTML (every text escaped; invisible characters made visible); the turns whose numbers are in
    // `unfolded` list their steps.
    static QString transcriptHtml(const QString& sessionId, const std::vector<Sessions::Turn>& turns, bool dark,
        const std::set<int>& unfolded = {});
    // Shows or hides a turn's steps (the "Steps" link of the turn).
    void toggleSteps(int turn);

signals:
    void stepRequested(const QString& traceId, const QString& spanId);

private:
    void render();

    QLabel* m_title = nullptr;
    QTextBrowser* m_view = nullptr;
    QString m_sessionId;
    std::vector<Sessions::Turn> m_turns;
    std::set<int> m_unfolded;
};

} // namespace Tracelight
