namespace McpSsh.Ssh.Config;

/// <summary>A line of an OpenSSH client config that ssh itself would refuse; the message starts with <c>FILE:LINE:</c>.</summary>
public sealed class SshConfigException(string location, string problem)
    : Exception($"{location}: {problem} (fix the line, or pass --no-ssh-config to ignore the OpenSSH config)")
{
    public string Location { get; } = location;
}
