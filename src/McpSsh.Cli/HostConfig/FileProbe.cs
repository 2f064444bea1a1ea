namespace McpSsh.Cli.HostConfig;

/// <summary>What <see cref="ConfigTable"/> asks the file system (injected so tests describe a Windows or macOS machine).</summary>
internal interface IFileProbe
{
    bool Exists(string path);

    /// <summary>Names (not paths) of the directories in <paramref name="directory"/> that start with <paramref name="prefix"/>.</summary>
    IReadOnlyList<string> DirectoriesStartingWith(string directory, string prefix);
}

/// <summary>The real file system.</summary>
internal sealed class DiskProbe : IFileProbe
{
    public static DiskProbe Instance { get; } = new();

    public bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public IReadOnlyList<string> DirectoriesStartingWith(string directory, string prefix)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(directory, prefix + "*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
