namespace McpSsh.Cli.HostConfig;

/// <summary>Which of a client's files: the user's own (every project) or the current project's.</summary>
internal enum ConfigScope
{
    User,
    Project,
}

/// <summary>One file a client reads its servers from; <see cref="Installed"/>: the client is there (its directory exists).</summary>
internal sealed record ConfigLocation(HostClient Client, ConfigScope Scope, string Path, bool Installed, string? Variant = null)
{
    public string Label => Variant is null ? $"{Client.Id} ({Scope.ToString().ToLowerInvariant()})" : $"{Client.Id} ({Scope.ToString().ToLowerInvariant()}, {Variant})";
}
