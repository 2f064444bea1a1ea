using System.CommandLine;
using McpSsh.Cli.HostConfig;
using McpSsh.Platform;

namespace McpSsh.Cli.Commands;

/// <summary>mcp-ssh config add/list/remove: writes mcp-ssh entries into MCP hosts' own config files.</summary>
internal static class ConfigCommand
{
    public static readonly Argument<string> Name = new("NAME") { Description = "The server's name in the client's list" };

    public static readonly Argument<string?> Alias = new("ALIAS")
    { Description = "An ssh_config Host alias to connect to (instead of --host and friends)", Arity = ArgumentArity.ZeroOrOne };

    public static readonly Option<string> AddClient = new("--client")
    { Description = $"Which client's config to write: {HostClient.Names} (every client installed here)", Required = true, HelpName = "CLIENT" };

    public static readonly Option<string> Client = new("--client")
    { Description = $"Which client's config: {HostClient.Names}", DefaultValueFactory = _ => HostClient.Detected, HelpName = "CLIENT" };

    public static readonly Option<string> Scope = new("--scope")
    { Description = "user (the client's own file) or project (the file in the current directory: .mcp.json, .cursor/mcp.json, .vscode/mcp.json, .zed/settings.json)", DefaultValueFactory = _ => "user", HelpName = "SCOPE" };

    public static readonly Option<bool> Force = new("--force") { Description = "Replace an entry of the same NAME" };

    public static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print the change as a diff and write nothing" };

    public const string Description =
        """
        Write mcp-ssh into an MCP client's own config file, list the entries there, or remove one. Other entries,
        unknown fields, indentation and comments (VS Code, Zed) are kept; the old file is kept as FILE.bak.

        Examples:
          mcp-ssh config add work --client claude-desktop --host example.org --port 8022 --username mcp --known-hosts ~/.ssh/known_hosts
          mcp-ssh config add lab lab-box --client cursor            (lab-box: a Host in ~/.ssh/config)
          mcp-ssh config add work --client detected --host example.org --dry-run
          mcp-ssh config list
          mcp-ssh config remove work --client claude-desktop
        """;

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        // The writer over stdout is made only when a config command runs: in client mode stdout is the protocol.
        return Create(() => new ConfigRunner(HostEnvironment.Current, DiskProbe.Instance, Environment.CurrentDirectory,
            new StreamWriter(stdout, new System.Text.UTF8Encoding(false), leaveOpen: true) { AutoFlush = true }, stderr, SelfPath.Current));
    }

    /// <summary>The command tree over a runner made per invocation (tests inject an environment and a file system).</summary>
    public static Command Create(Func<ConfigRunner> runner)
    {
        var add = new Command("add", "Add (or with --force replace) an mcp-ssh entry in a client's config; the flags after NAME are mcp-ssh's client flags") { Name, Alias, AddClient, Scope, Force, DryRun };
        foreach (Option option in ClientOptions.All)
        {
            add.Options.Add(option);
        }

        add.SetAction(parse => runner().Add(parse));

        var list = new Command("list", "Show the mcp-ssh entries in each client's config") { Client, Scope };
        list.SetAction(parse => runner().List(parse.GetValue(Client)!, parse.GetResult(Scope) is { Implicit: false } ? parse.GetValue(Scope) : null));

        var remove = new Command("remove", "Remove an mcp-ssh entry from a client's config (every installed client unless --client)") { Name, Client, Scope, DryRun };
        remove.SetAction(parse => runner().Remove(parse.GetValue(Name)!, parse.GetValue(Client)!, parse.GetValue(Scope)!, parse.GetValue(DryRun)));

        return new Command("config", Description) { add, list, remove };
    }
}
