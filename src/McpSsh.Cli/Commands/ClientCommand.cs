using System.CommandLine;

namespace McpSsh.Cli.Commands;

/// <summary>The root command: the stdio MCP server that relays to a remote MCP server over SSH.</summary>
internal static class ClientCommand
{
    public const string Description =
        $"""
        Use an MCP server on another machine over SSH, as if it were local. mcp-ssh speaks MCP on stdin/stdout
        and relays every JSON-RPC message byte for byte over one SSH channel (tools, prompts, resources,
        sampling, elicitation, roots, progress, logging, cancellation). Logs go to stderr, never stdout.
        Flags marked Python-compatible behave as in m2m-mcp-server-ssh-client.

        Examples:
          mcp-ssh --host example.org --port 8022 --username mcp
          mcp-ssh --host 10.0.0.5 --port 22 --username alice --client-key ~/.ssh/id_ed25519 --accept-new \
                  --remote-command "npx -y @modelcontextprotocol/server-everything"
          MCP_SSH_PASSPHRASE=secret mcp-ssh --host example.org --client-key ~/.ssh/id_rsa --log-level debug

        In a desktop AI config (Claude Desktop, Cursor), put the binary's absolute path in "command" and these
        flags in "args".

        {ExitCodes.Table}
        """;

    public static RootCommand Create(Func<ParseResult, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand(Description);
        foreach (Option option in ClientOptions.All)
        {
            root.Options.Add(option);
        }

        root.SetAction(run);
        return root;
    }
}
