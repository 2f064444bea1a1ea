using System.CommandLine;
using McpSsh.Cli.HostConfig;
using McpSsh.Platform;

namespace McpSsh.Cli.Commands;

/// <summary>
/// Runs config add/list/remove over the files <see cref="ConfigTable"/> names. Every edit is computed for every
/// target first; if any file is malformed or already has NAME, nothing is written anywhere.
/// </summary>
internal sealed partial class ConfigRunner(HostEnvironment env, IFileProbe probe, string projectDir, TextWriter stdout, TextWriter stderr, Func<string> self)
{
    public int Add(ParseResult parse)
    {
        string name = parse.GetValue(ConfigCommand.Name)!;
        List<ConfigLocation> targets;
        ServerEntry entry;
        try
        {
            CheckName(name);
            targets = Targets(parse.GetValue(ConfigCommand.AddClient)!, ParseScope(parse.GetValue(ConfigCommand.Scope)!), forWrite: true);
            entry = new ServerEntry(self(), EntryArgs.From(parse, parse.GetValue(ConfigCommand.Alias), ExpandPath));
        }
        catch (UsageException ex)
        {
            return Fail(ex.Message, ExitCodes.Usage);
        }

        bool force = parse.GetValue(ConfigCommand.Force), dryRun = parse.GetValue(ConfigCommand.DryRun);
        var edits = new List<(ConfigLocation Location, ConfigFile File, string Text, bool Replaced)>();
        foreach (ConfigLocation target in targets)
        {
            if (!TryRead(target.Path, out ConfigFile? file))
            {
                return ExitCodes.Config;
            }

            try
            {
                string text = JsoncEditor.Upsert(file!.Text, target.Client.ContainerKey, name, (indent, layout) => entry.Render(target.Client, indent, layout), force, out bool replaced);
                edits.Add((target, file, text, replaced));
            }
            catch (JsoncException ex)
            {
                return Malformed(target.Path, ex);
            }
            catch (EntryExistsException)
            {
                return Fail($"{target.Path} already has an entry \"{name}\" ({target.Label}); add --force to replace it or choose another NAME (nothing was written)", ExitCodes.Usage);
            }
        }

        return Apply(edits.Select(e => (e.Location, e.File, e.Text, e.Replaced ? "replaced" : "added")), name, dryRun);
    }

    public int List(string client, string? scope)
    {
        if (client != HostClient.Detected && HostClient.Find(client) is null)
        {
            return Fail($"--client '{client}' is not a client mcp-ssh knows; use one of {HostClient.Names}", ExitCodes.Usage);
        }

        int exit = ExitCodes.Ok;
        bool any = false;
        IEnumerable<ConfigScope> scopes = scope is null ? [ConfigScope.User, ConfigScope.Project] : [ParseScopeOrUser(scope)];
        foreach (ConfigLocation location in Candidates(client, scopes))
        {
            if (!File.Exists(location.Path))
            {
                continue;
            }

            if (!TryRead(location.Path, out ConfigFile? file))
            {
                exit = ExitCodes.Config;
                continue;
            }

            try
            {
                JsoncNode root = JsoncEditor.ParseRoot(file!.Text);
                List<(string Name, ServerEntry Entry)> entries = [.. (JsoncEditor.Container(file.Text, root, location.Client.ContainerKey)?.Members ?? [])
                    .Select(m => (m.Name, Entry: ServerEntry.Read(m.Value))).Where(e => e.Entry is { IsMcpSsh: true }).Select(e => (e.Name, e.Entry!))];
                stdout.WriteLine($"{location.Label}: {location.Path}");
                foreach ((string name, ServerEntry entry) in entries)
                {
                    stdout.WriteLine($"  {name}  {string.Join(' ', new[] { entry.Command }.Concat(entry.Args).Select(ShellWord))}");
                }

                if (entries.Count == 0)
                {
                    stdout.WriteLine("  (no mcp-ssh entries)");
                }

                any = true;
            }
            catch (JsoncException ex)
            {
                exit = Malformed(location.Path, ex);
            }
        }

        if (!any && exit == ExitCodes.Ok)
        {
            stdout.WriteLine("No client config file found (" + string.Join(", ", HostClient.All.Select(c => c.Id)) + ")");
        }

        return exit;
    }

    public int Remove(string name, string client, string scope, bool dryRun)
    {
        ConfigScope parsedScope;
        try
        {
            parsedScope = ParseScope(scope);
            if (client != HostClient.Detected)
            {
                _ = Targets(client, parsedScope, forWrite: false);
            }
        }
        catch (UsageException ex)
        {
            return Fail(ex.Message, ExitCodes.Usage);
        }

        var edits = new List<(ConfigLocation, ConfigFile, string, string)>();
        foreach (ConfigLocation location in Candidates(client, [parsedScope]).Where(l => File.Exists(l.Path)))
        {
            if (!TryRead(location.Path, out ConfigFile? file))
            {
                return ExitCodes.Config;
            }

            try
            {
                JsoncNode root = JsoncEditor.ParseRoot(file!.Text);
                // Every copy of the name goes (hosts take the last one), so every copy must be ours.
                List<JsoncMember> copies = [.. JsoncEditor.Container(file.Text, root, location.Client.ContainerKey)?.Members.Where(m => m.Name == name) ?? []];
                if (copies.Count == 0)
                {
                    continue;
                }

                if (copies.Exists(member => ServerEntry.Read(member.Value) is not { IsMcpSsh: true }))
                {
                    return Fail($"\"{name}\" in {location.Path} does not run mcp-ssh; remove it with {location.Client.DisplayName} itself (nothing was written)", ExitCodes.Usage);
                }

                edits.Add((location, file, JsoncEditor.Remove(file.Text, location.Client.ContainerKey, name)!, "removed"));
            }
            catch (JsoncException ex)
            {
                return Malformed(location.Path, ex);
            }
        }

        return edits.Count == 0
            ? Fail($"no mcp-ssh entry \"{name}\" in {(client == HostClient.Detected ? "any client's" : client + "'s")} {parsedScope.ToString().ToLowerInvariant()} config (see `mcp-ssh config list`)", ExitCodes.Usage)
            : Apply(edits, name, dryRun);
    }
}
