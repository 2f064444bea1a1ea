namespace McpSsh.Cli.HostConfig;

internal enum JsoncKind
{
    Object,
    Array,
    String,
    Literal,
}

/// <summary>A value in a JSONC text and where it sits: [Start, End) in the text, so edits splice text, not reserialise.</summary>
internal sealed class JsoncNode(JsoncKind kind, int start)
{
    public JsoncKind Kind { get; } = kind;

    public int Start { get; } = start;

    public int End { get; set; }

    /// <summary>Members in file order (objects only).</summary>
    public List<JsoncMember> Members { get; } = [];

    /// <summary>Items in file order (arrays only).</summary>
    public List<JsoncNode> Items { get; } = [];

    /// <summary>A string's decoded value (strings only).</summary>
    public string? Text { get; init; }

    /// <summary>The member named <paramref name="name"/>; with duplicates the last one, as JSON.parse takes.</summary>
    public JsoncMember? Member(string name) => Members.LastOrDefault(m => m.Name == name);
}

/// <summary>One "name": value of an object; <see cref="CommaEnd"/> is just past its comma, or -1 when none follows it.</summary>
internal sealed record JsoncMember(string Name, int KeyStart, JsoncNode Value)
{
    public int CommaEnd { get; set; } = -1;

    /// <summary>Where the member's own text ends: past its comma, or past its value.</summary>
    public int End => CommaEnd >= 0 ? CommaEnd : Value.End;
}

/// <summary>A file that is not JSON(C): where (1-based line and column) and what was expected.</summary>
internal sealed class JsoncException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
