using GradGuessCluster.Training;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// Appends log lines of the embedded silo to one file, so the console stays free for progress and results. A log
/// never fails what it logs: while the file cannot be opened or written (a full disk, a volume gone read-only) lines are
/// dropped and counted, the file is tried again at most once a second, and the first line that gets through says how
/// many were lost and why. (Before, the write's IOException surfaced in whatever code was logging, which on a full disk
/// stopped running packs.)
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly Func<Stream> _open;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private StreamWriter? _writer;
    private DateTimeOffset _nextTry;
    private int _dropped;
    private string? _dropReason;
    private bool _disposed;

    public FileLoggerProvider(string path, LogLevel minimum)
        : this(() => OpenFile(path), minimum, TimeProvider.System)
    {
    }

    /// <param name="open">Opens the log for appending (a test gives a stream that fails on demand).</param>
    internal FileLoggerProvider(Func<Stream> open, LogLevel minimum, TimeProvider time)
    {
        (_open, _minimum, _time) = (open, minimum, time);
        lock (_gate) TryOpen();
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Close();
        }
    }

    private static FileStream OpenFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        var line = Line(level, category, message) + (exception is null ? "" : Environment.NewLine + exception);
        lock (_gate)
        {
            if (_disposed) return;
            if (_writer is null && _time.GetUtcNow() >= _nextTry) TryOpen();
            if (_writer is null)
            {
                _dropped++;
                return;
            }
            try
            {
                if (_dropped > 0)
                {
                    _writer.WriteLine(Line(LogLevel.Warning, nameof(FileLoggerProvider), $"{Units.Count(_dropped, "log line")} before this one {(_dropped == 1 ? "was" : "were")} lost: {_dropReason}"));
                    _dropped = 0;
                }
                _writer.WriteLine(line);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(e);
                _dropped++;
            }
        }
    }

    private string Line(LogLevel level, string category, string message) =>
        $"{_time.GetUtcNow().UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {level,-11} {category}: {message}";

    private void TryOpen()
    {
        try
        {
            _writer = new StreamWriter(_open()) { AutoFlush = true };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
        }
    }

    /// <summary>Drops the writer (its buffer may hold half a line) and waits before opening the file again.</summary>
    private void Fail(Exception e)
    {
        _dropReason = e.Message;
        _nextTry = _time.GetUtcNow() + RetryAfter;
        Close();
    }

    private void Close()
    {
        try { _writer?.Dispose(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* flushing what failed fails again */ }
        _writer = null;
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) provider.Write(category, logLevel, formatter(state, exception), exception);
        }
    }
}
