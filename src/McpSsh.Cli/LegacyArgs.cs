namespace McpSsh.Cli;

/// <summary>
/// Rewrites command lines written for the Python client (argparse) into ours. argparse accepts any unambiguous
/// prefix of a long option (<c>--user</c> for <c>--username</c>); System.CommandLine does not. Exact names and
/// <c>--name=value</c> pass through unchanged.
/// </summary>
internal static class LegacyArgs
{
    public static string[] Normalize(IReadOnlyList<string> args, IReadOnlyCollection<string> longOptions)
    {
        var result = new string[args.Count];
        bool afterSeparator = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (afterSeparator || arg == "--" || !arg.StartsWith("--", StringComparison.Ordinal))
            {
                afterSeparator |= arg == "--";
                result[i] = arg;
                continue;
            }

            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? arg : arg[..equals];
            string suffix = equals < 0 ? string.Empty : arg[equals..];
            result[i] = ExpandPrefix(name, longOptions) + suffix;
        }

        return result;
    }

    private static string ExpandPrefix(string name, IReadOnlyCollection<string> longOptions)
    {
        if (longOptions.Contains(name))
        {
            return name;
        }

        List<string> candidates = longOptions.Where(o => o.StartsWith(name, StringComparison.Ordinal)).ToList();
        // Ambiguous or unknown prefixes are left for the parser to reject with its own message.
        return candidates.Count == 1 ? candidates[0] : name;
    }
}
