namespace McpSsh.Filtering;

/// <summary>
/// Which tools pass: with an allow list, only names matching one of its globs; then any name matching a deny
/// glob is removed. Deny wins, so <c>allow: ["*"], deny: ["delete_*"]</c> and <c>deny: ["delete_*"]</c> mean
/// the same, and no allow glob can bring back a denied tool.
/// </summary>
/// <param name="Allow">Empty: every tool is allowed (before deny).</param>
/// <param name="AllowLabel">How the allow list is named in messages, e.g. <c>--allow-tools</c> or <c>"tools.allow"</c>.</param>
/// <param name="DenyLabel">How the deny list is named in messages.</param>
public sealed record ToolFilter(IReadOnlyList<ToolGlob> Allow, IReadOnlyList<ToolGlob> Deny, string AllowLabel, string DenyLabel)
{
    /// <summary>Lets every tool through.</summary>
    public static readonly ToolFilter None = new([], [], "allow", "deny");

    /// <summary>False when the filter lets every tool through (no work to do).</summary>
    public bool IsActive => Allow.Count > 0 || Deny.Count > 0;

    public ToolVerdict Check(string name)
    {
        if (Deny.FirstOrDefault(g => g.IsMatch(name)) is { } denied)
        {
            return ToolVerdict.Refused($"it matches {DenyLabel} glob \"{denied.Text}\"");
        }

        if (Allow.Count > 0 && !Allow.Any(g => g.IsMatch(name)))
        {
            return ToolVerdict.Refused($"it matches no {AllowLabel} glob ({string.Join(", ", Allow.Select(g => g.Text))})");
        }

        return ToolVerdict.Passed;
    }

    /// <summary>The gateway server whose config holds the filter; null for the client's flags.</summary>
    public string? Server { get; init; }

    /// <summary>The one-line error a call of a filtered tool gets, naming who filtered it and the rule.</summary>
    public string Refusal(string name, string reason) => Server is null
        ? $"tool \"{name}\" is filtered out by mcp-ssh: {reason}; the call was not sent"
        : $"tool \"{name}\" of server \"{Server}\" is filtered out by the gateway's servers config: {reason}; the call was not sent";

    /// <summary>The filter in one line, for logs: <c>--allow-tools read_*,list_* --deny-tools *_delete</c>.</summary>
    public string Describe() => string.Join(" ", new[]
    {
        Allow.Count > 0 ? $"{AllowLabel} {string.Join(",", Allow.Select(g => g.Text))}" : null,
        Deny.Count > 0 ? $"{DenyLabel} {string.Join(",", Deny.Select(g => g.Text))}" : null,
    }.OfType<string>());
}

/// <summary>Whether a tool passes a <see cref="ToolFilter"/>, and if not, which rule stopped it (a sentence tail).</summary>
public readonly record struct ToolVerdict(bool Allowed, string? Reason)
{
    public static ToolVerdict Passed => new(true, null);

    public static ToolVerdict Refused(string reason) => new(false, reason);
}
