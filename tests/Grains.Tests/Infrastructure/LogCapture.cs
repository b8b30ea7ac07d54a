using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>Keeps the formatted messages every silo logs at Information or above, for tests that count what happened.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Matching(string text)
    {
        lock (_messages) return _messages.Where(m => m.Contains(text, StringComparison.Ordinal)).ToList();
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (capture._messages) capture._messages.Add(formatter(state, exception));
        }
    }
}
