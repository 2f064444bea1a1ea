namespace McpSsh.Ssh.OpenSsh;

/// <summary>
/// Reads why ssh gave up from what it printed (OpenSSH's messages, stable for decades) and says it as mcp-ssh's
/// errors do: what, where, how to fix. ssh exits 255 for every connection failure, so the text decides.
/// </summary>
public static class OpenSshErrors
{
    public static SshConnectException Explain(IReadOnlyList<string> stderr, int exitCode, OpenSshOptions o)
    {
        string[] said = stderr.Where(l => !l.StartsWith("debug", StringComparison.Ordinal) && l.Trim().Length > 0).ToArray();
        string last = said.LastOrDefault() ?? $"ssh exited with status {exitCode} without a message";
        string all = string.Join('\n', said);
        bool Has(string text) => all.Contains(text, StringComparison.OrdinalIgnoreCase);
        string where = o.Endpoint;
        string via = $"ssh ({o.Command}) to {where}";

        if (Has("REMOTE HOST IDENTIFICATION HAS CHANGED") || Has("Host key verification failed") || Has("host key for") && Has("has changed"))
        {
            string hint = Has("REMOTE HOST IDENTIFICATION HAS CHANGED")
                ? "the server's host key CHANGED: someone may be intercepting the connection; if the key was really replaced, remove the old one with ssh-keygen -R"
                : "the server's host key is not known: connect once with ssh to check and record it, or pass --accept-new to trust it on first use";
            return new(ConnectFailure.HostKey, $"{via}: host key verification failed ({FirstMatching(said, "key") ?? last}); {hint}");
        }

        if (Has("Permission denied"))
        {
            return new(ConnectFailure.Authentication, $"{via}: authentication failed ({last}); check the user (--username or User in ssh_config), the key or agent ssh offers (ssh -v {o.Destination} shows which), and the server's authorized_keys");
        }

        if (Has("Could not resolve hostname"))
        {
            return new(ConnectFailure.Unreachable, $"{via}: {last}; check the host name or the HostName of the ssh_config alias");
        }

        if (Has("Connection refused") || Has("No route to host") || Has("Network is unreachable"))
        {
            return new(ConnectFailure.Unreachable, $"{via}: {last}; check the host and port, and that the SSH server is running");
        }

        if (Has("timed out"))
        {
            return new(ConnectFailure.Timeout, $"{via}: {last}; check that the host is reachable, or raise --connect-timeout");
        }

        if (Has("bad configuration option") || Has("terminating,") || Has("Bad configuration"))
        {
            return new(ConnectFailure.Protocol, $"{via}: ssh refused its configuration: {all.Replace('\n', ' ')}");
        }

        if (Has("Load key") || Has("no such identity") || Has("invalid format"))
        {
            return new(ConnectFailure.KeyFile, $"{via}: {last}; check the key file and its permissions (chmod 600)");
        }

        return new(ConnectFailure.Protocol, $"{via} failed (exit status {exitCode}): {last}");
    }

    private static string? FirstMatching(string[] lines, string word) =>
        lines.FirstOrDefault(l => l.Contains(word, StringComparison.OrdinalIgnoreCase) && !l.StartsWith('@'));
}
