namespace McpSsh.Server;

/// <summary>Serve cannot start or keep running: one sentence with what, where and the fix.</summary>
public sealed class ServeException(string message) : Exception(message);
