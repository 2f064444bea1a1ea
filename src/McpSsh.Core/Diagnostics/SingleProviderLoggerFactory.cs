using Microsoft.Extensions.Logging;

namespace McpSsh.Diagnostics;

/// <summary>A logger factory over one provider: all the client needs, without pulling in Microsoft.Extensions.Logging.</summary>
public sealed class SingleProviderLoggerFactory(ILoggerProvider provider) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("one provider only");

    public ILoggerProvider Provider => provider;

    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    public void Dispose()
    {
        // The provider is owned by whoever created it.
    }
}
