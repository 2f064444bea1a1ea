namespace McpSsh.Ssh.Agent;

/// <summary>The agent could not be reached, refused, or answered something that is not the agent protocol.</summary>
public sealed class SshAgentException(string message, Exception? inner = null) : Exception(message, inner);
