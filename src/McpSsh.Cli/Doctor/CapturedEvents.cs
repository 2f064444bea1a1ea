using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// A logger that keeps the connector's structured events (id, named values, when) instead of printing them: the
/// doctor reads the server version, algorithms, host-key verdict and channel mode from the same events the client
/// logs, so it reports what the client itself saw without a second code path through SSH.NET.
/// </summary>
internal sealed class CapturedEvents : ILogger, ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedEvent> _events = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyList<CapturedEvent> All => [.. _events];

    /// <summary>The first event with this id, or null.</summary>
    public CapturedEvent? First(int eventId) => _events.FirstOrDefault(e => e.Id == eventId);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
        {
            foreach ((string key, object? value) in pairs)
            {
                values[key] = value?.ToString();
            }
        }

        _events.Enqueue(new CapturedEvent(eventId.Id, logLevel, formatter(state, exception), values, _clock.Elapsed.TotalMilliseconds));
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>One log event: its id, level, text, named values and when it happened (ms since the capture began).</summary>
internal sealed record CapturedEvent(int Id, LogLevel Level, string Text, IReadOnlyDictionary<string, string?> Values, double AtMilliseconds)
{
    public string? this[string name] => Values.GetValueOrDefault(name);
}
