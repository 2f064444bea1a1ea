using McpSsh.Ssh.KnownHosts;

namespace McpSsh.Cli.Commands;

/// <summary>
/// What serve prints at start for the operator to hand to users: the host key's fingerprint and a ready
/// `mcp-ssh config add` line whose flags make the host trusted (the known_hosts line to add, or the key server pin).
/// </summary>
internal static class ServeHandout
{
    /// <param name="host">Where clients connect (serve's --host; a wildcard listen address becomes this machine's name).</param>
    /// <param name="keyServerPort">The key server's port when it runs, else null.</param>
    /// <param name="tokenRequired">The key server requires a token: a client registers once with it in its environment
    /// (the token itself is never printed, and `config add` refuses to write it into a file).</param>
    public static IReadOnlyList<string> Lines(string publicKeyLine, string host, int port, string user, int? keyServerPort, string authorizedClients, bool tokenRequired = false)
    {
        string[] fields = publicKeyLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        byte[] blob = Convert.FromBase64String(fields[1]);
        // The entry's name: the host's first label (box.example.org: box), or mcp-10-0-0-5 for an address.
        bool address = System.Net.IPAddress.TryParse(host, out _);
        string name = (address ? "mcp-" : "") + new string([.. (address ? host : host.Split('.')[0]).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
        string add = $"mcp-ssh config add {name} --client claude-desktop --host {Word(host)} --port {port} --username {Word(user)}";
        var lines = new List<string> { $"Host key {SshKeyFormat.Sha256Fingerprint(blob)} ({SshKeyFormat.KeyTypeOf(blob)})" };
        if (keyServerPort is { } keyServer)
        {
            if (tokenRequired)
            {
                lines.Add($"The key server requires its token: each client registers once with `{ServeCommand.TokenVariable}=<token> mcp-ssh --host {Word(host)} --port {port} --username {Word(user)} --use-key-server --key-server-port {keyServer} </dev/null`");
            }

            lines.Add($"For a client (its key is registered and this host key pinned on first connect through the key server): {add} --use-key-server --key-server-port {keyServer}");
        }
        else
        {
            lines.Add($"For a client: add its public key to {authorizedClients}, this line to its ~/.ssh/known_hosts: {SshKeyFormat.KnownHostsLine(SshKeyFormat.HostName(host, port), blob)}");
            lines.Add($"then run there: {add} --known-hosts ~/.ssh/known_hosts");
        }

        return lines;
    }

    /// <summary>serve's listen address as clients should name it: a wildcard means this machine's name.</summary>
    public static string ClientHost(string listen) =>
        listen is "0.0.0.0" or "::" or "[::]" or "" ? System.Net.Dns.GetHostName() : listen;

    private static string Word(string word) =>
        word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@') ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
