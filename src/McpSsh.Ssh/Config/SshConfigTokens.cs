using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace McpSsh.Ssh.Config;

/// <summary>
/// ssh's <c>%</c> tokens and <c>~</c> in config values (ssh_config(5) TOKENS, OpenSSH 9.2): <c>%%</c>, <c>%C</c>
/// (SHA-1 of <c>%l%h%p%r</c>), <c>%d</c> home, <c>%h</c> remote host name, <c>%i</c> uid, <c>%k</c> host key alias
/// or host name, <c>%L</c> short local host name, <c>%l</c> local host name, <c>%n</c> host as typed, <c>%p</c>
/// port, <c>%r</c> remote user, <c>%u</c> local user. An unknown token is an error, as in ssh.
/// </summary>
public sealed record SshConfigTokens(
    SshConfigContext Context,
    string HostName,
    int Port,
    string RemoteUser,
    string? HostKeyAlias)
{
    /// <summary><c>HostName</c> takes only <c>%h</c> (the host as typed) and <c>%%</c>.</summary>
    public static string ExpandHostName(string value, string originalHost) =>
        Expand(value, c => c switch
        {
            'h' => originalHost,
            _ => null,
        }, "HostName");

    /// <summary>Expands <c>~</c> at the start and every token; <paramref name="keyword"/> names the setting in errors.</summary>
    public string ExpandPath(string value, string keyword)
    {
        string expanded = Expand(value, Token, keyword);
        if (expanded == "~")
        {
            return Context.HomeDirectory;
        }

        return expanded.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Join(Context.HomeDirectory, expanded[2..])
            : expanded;
    }

    private string? Token(char token) => token switch
    {
        'C' => ConnectionHash(),
        'd' => Context.HomeDirectory,
        'h' => HostName,
        'i' => UserId(),
        'k' => HostKeyAlias ?? HostName,
        'L' => Context.LocalHostName.Split('.')[0],
        'l' => Context.LocalHostName,
        'n' => Context.OriginalHost,
        'p' => Port.ToString(CultureInfo.InvariantCulture),
        'r' => RemoteUser,
        'u' => Context.LocalUser,
        _ => null,
    };

    private string ConnectionHash() =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(
            Context.LocalHostName + HostName + Port.ToString(CultureInfo.InvariantCulture) + RemoteUser)));

    // Windows has no numeric uid; OpenSSH for Windows expands %i to its own placeholder, which no path relies on.
    private static string UserId() =>
        OperatingSystem.IsWindows() ? "0" : McpSsh.Processes.UnixUser.RealUserId().ToString(CultureInfo.InvariantCulture);

    private static string Expand(string value, Func<char, string?> token, string keyword)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length + 32);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                result.Append(value[i]);
                continue;
            }

            if (++i == value.Length)
            {
                throw new FormatException($"{keyword} \"{value}\" ends with a lone %");
            }

            result.Append(value[i] == '%' ? "%" : token(value[i]) ?? throw new FormatException($"{keyword} \"{value}\" uses the unknown token %{value[i]}"));
        }

        return result.ToString();
    }
}
