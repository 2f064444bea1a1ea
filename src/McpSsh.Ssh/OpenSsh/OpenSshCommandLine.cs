using System.Globalization;
using System.Text;

namespace McpSsh.Ssh.OpenSsh;

/// <summary>
/// The argument list for the system ssh: no tty, never a prompt (BatchMode), a byte-clean channel (no escape
/// character), no forwarding whatever the config says (the MCP server must not reach back), and the debug1 log
/// level whose lines tell us when the session is authenticated (they are logged at Trace, never shown).
/// </summary>
public static class OpenSshCommandLine
{
    public static IReadOnlyList<string> Build(OpenSshOptions o)
    {
        var args = new List<string> { "-T", "-e", "none", "-o", "BatchMode=yes", "-o", "LogLevel=DEBUG1" };
        Option(args, "ClearAllForwardings", "yes");
        Option(args, "ForwardAgent", "no");
        Option(args, "ForwardX11", "no");
        Option(args, "PermitLocalCommand", "no");
        Option(args, "ConnectTimeout", Math.Max(1, (int)Math.Ceiling(o.ConnectTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        if (o.ConfigFile is not null)
        {
            args.AddRange(["-F", o.ConfigFile]);
        }

        if (o.Port is { } port)
        {
            args.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
        }

        if (o.User is not null)
        {
            args.AddRange(["-l", o.User]);
        }

        if (o.IdentityFile is not null)
        {
            args.AddRange(["-i", o.IdentityFile]);
        }

        if (o.KnownHostsFile is not null)
        {
            Option(args, "UserKnownHostsFile", o.KnownHostsFile);
        }

        if (o.StrictHostKeyChecking is not null)
        {
            Option(args, "StrictHostKeyChecking", o.StrictHostKeyChecking);
        }

        if (o.JumpHosts is not null)
        {
            args.AddRange(["-J", o.JumpHosts]);
        }

        // "--" ends ssh's options, so a destination starting with '-' cannot be read as one.
        args.AddRange(["--", o.Destination]);
        if (o.RemoteCommand is not null)
        {
            args.Add(o.RemoteCommand);
        }

        return args;
    }

    /// <summary><c>-o Key="value"</c>: ssh splits -o values like config lines, so quote and escape.</summary>
    private static void Option(List<string> args, string keyword, string value)
    {
        bool plain = value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '~' or '%' or '@' or '+' or ',');
        args.AddRange(["-o", plain ? $"{keyword}={value}" : $"{keyword}=\"{Escape(value)}\""]);
    }

    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 4);
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
