using System.CommandLine;
using McpSsh.Filtering;
using O = McpSsh.Cli.Commands.ClientOptions;

namespace McpSsh.Cli.Commands;

internal sealed partial record ClientSettings
{
    /// <summary>--allow-tools / --deny-tools: what the relay lets through of tools/list and tools/call.</summary>
    public ToolFilter Tools { get; init; } = ToolFilter.None;

    /// <summary>Both flags take GLOB,GLOB and may be repeated; an empty glob (a stray comma) is a usage error.</summary>
    internal static ToolFilter ToolFilterFrom(ParseResult parse)
    {
        IReadOnlyList<ToolGlob> allow = Globs(parse, O.AllowTools);
        IReadOnlyList<ToolGlob> deny = Globs(parse, O.DenyTools);
        return new ToolFilter(allow, deny, O.AllowTools.Name, O.DenyTools.Name);
    }

    private static List<ToolGlob> Globs(ParseResult parse, Option<string[]> option)
    {
        var globs = new List<ToolGlob>();
        foreach (string value in parse.GetValue(option) ?? [])
        {
            foreach (string text in value.Split(','))
            {
                if (!ToolGlob.TryParse(text.Trim(), out ToolGlob glob, out string? error))
                {
                    throw new UsageException($"{option.Name} \"{value}\" has {error}; give globs separated by single commas, e.g. {option.Name} \"read_*,list_*\"");
                }

                globs.Add(glob);
            }
        }

        return globs;
    }
}
