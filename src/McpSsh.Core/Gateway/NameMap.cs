namespace McpSsh.Gateway;

/// <summary>How merged tool and prompt names are made.</summary>
public enum NamePolicy
{
    /// <summary>As the Python server: the first backend keeps a name, later ones get <c>_1</c>, <c>_2</c>...</summary>
    Suffix,

    /// <summary>--prefix-names: every name becomes <c>SERVER__name</c>.</summary>
    Prefix,
}

/// <summary>
/// The merged names of one kind (tools or prompts). A name is assigned the first time a backend's item is
/// seen and never changes for the session, so a host's cached list stays valid after a backend restarts.
/// Every merged name is one hosts accept (<see cref="MergedName"/>): odd characters become <c>_</c>, long names
/// are cut with a stable hash, and names that still clash get <c>_1</c>, <c>_2</c>... The way back is a table,
/// never a parse of the merged name, so it gives exactly the backend's own name.
/// </summary>
public sealed class NameMap(NamePolicy policy)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Backend, string Name), string> _merged = [];
    private readonly Dictionary<string, (string Backend, string Name)> _original = new(StringComparer.Ordinal);

    public string Merge(string backend, string name)
    {
        lock (_lock)
        {
            if (_merged.TryGetValue((backend, name), out string? existing))
            {
                return existing;
            }

            string merged = FirstFree(Candidate(backend, name));
            _merged[(backend, name)] = merged;
            _original[merged] = (backend, name);
            return merged;
        }
    }

    /// <summary>The name <see cref="Merge"/> would try first, before any clash: what a host may call a filtered tool by.</summary>
    public string Candidate(string backend, string name) =>
        policy == NamePolicy.Prefix ? MergedName.Prefixed(backend, name) : MergedName.Plain(name);

    public bool TryResolve(string merged, out string backend, out string name)
    {
        lock (_lock)
        {
            if (_original.TryGetValue(merged, out var original))
            {
                (backend, name) = original;
                return true;
            }
        }

        backend = name = "";
        return false;
    }

    private string FirstFree(string candidate)
    {
        if (!_original.ContainsKey(candidate))
        {
            return candidate;
        }

        for (int i = 1; ; i++)
        {
            string next = MergedName.WithSuffix(candidate, $"_{i}");
            if (!_original.ContainsKey(next))
            {
                return next;
            }
        }
    }
}
