namespace McpSsh.Cli;

/// <summary>A bad flag or flag combination; printed as one line and exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
