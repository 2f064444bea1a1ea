using Microsoft.Extensions.Logging;

namespace McpSsh.Diagnostics;

/// <summary>
/// Writes one line per log entry to stderr and, optionally, to a log file. Never to stdout: in client and
/// gateway mode stdout carries only JSON-RPC frames.
/// </summary>
public sealed class LineLoggerProvider : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly TextWriter _stderr;
    private readonly StreamWriter? _file;

    public LineLoggerProvider(LogLevel minimumLevel, TextWriter stderr, string? logFilePath)
    {
        MinimumLevel = minimumLevel;
        _stderr = stderr;
        if (logFilePath is not null)
        {
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            _file = new StreamWriter(new FileStream(logFilePath, options)) { AutoFlush = true };
        }
    }

    public LogLevel MinimumLevel { get; }

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, ShortCategory(categoryName));

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
        }
    }

    internal void WriteLine(LogLevel level, string category, string message, Exception? exception)
    {
        string line = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {LogLevelNames.ShortName(level),-5} {category}: {message}";
        if (exception is not null && MinimumLevel <= LogLevel.Debug)
        {
            line += Environment.NewLine + exception;
        }

        lock (_lock)
        {
            _stderr.WriteLine(line);
            _stderr.Flush();
            _file?.WriteLine(line);
        }
    }

    private static string ShortCategory(string categoryName)
    {
        int dot = categoryName.LastIndexOf('.');
        return dot < 0 ? categoryName : categoryName[(dot + 1)..];
    }

    private sealed class LineLogger(LineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.WriteLine(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
