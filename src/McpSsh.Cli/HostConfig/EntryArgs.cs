using System.CommandLine;
using McpSsh.Cli.Commands;

namespace McpSsh.Cli.HostConfig;

/// <summary>
/// The args of the entry `config add` writes: the client flags given after NAME, in the order of `mcp-ssh --help`,
/// with file paths made absolute (a desktop app starts the server in a directory of its own choosing), or an
/// ssh_config alias as --host. Secrets are refused: a config file is no place for them.
/// </summary>
internal static class EntryArgs
{
    private static readonly Option[] PathOptions =
        [ClientOptions.ClientKey, ClientOptions.KnownHosts, ClientOptions.PassphraseFile, ClientOptions.LogFile, ClientOptions.SshConfig];

    public static List<string> From(ParseResult parse, string? alias, Func<string, string> expandPath)
    {
        if (Given(parse, ClientOptions.Passphrase))
        {
            throw new UsageException("--passphrase would be written in clear into the client's config file; use --passphrase-file FILE instead");
        }

        if (Given(parse, ClientOptions.KeyServerToken))
        {
            throw new UsageException("--key-server-token would be written in clear into the client's config file; register the key once with `mcp-ssh --use-key-server` and MCP_SSH_KEY_SERVER_TOKEN set, then add the entry without the token");
        }

        if (alias is not null && Given(parse, ClientOptions.Host))
        {
            throw new UsageException($"give the server once: either the ssh_config alias '{alias}' or --host");
        }

        if (alias is null && !Given(parse, ClientOptions.Host))
        {
            throw new UsageException("say which server: --host HOST (with --port, --username ...) or an ssh_config alias after NAME");
        }

        var args = new List<string>();
        if (alias is not null)
        {
            args.AddRange(["--host", alias]);
        }

        foreach (Option option in ClientOptions.All)
        {
            if (!Given(parse, option))
            {
                continue;
            }

            if (option is Option<bool> flag)
            {
                if (parse.GetValue(flag))
                {
                    args.Add(option.Name);
                }

                continue;
            }

            foreach (var token in parse.GetResult(option)!.Tokens)
            {
                args.AddRange([option.Name, PathOptions.Contains(option) ? expandPath(token.Value) : token.Value]);
            }
        }

        return args;
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
