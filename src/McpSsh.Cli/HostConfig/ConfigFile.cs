using System.Text;
using McpSsh.Ssh.Keys;

namespace McpSsh.Cli.HostConfig;

/// <summary>
/// A client's config file as read (text and exact bytes) and its atomic replacement: a .bak of the old bytes beside it,
/// then a temp file renamed over it with the old file's mode (0600 for a new file). A symbolic link (a dotfiles
/// repository) is followed so the link stays a link.
/// </summary>
internal sealed class ConfigFile
{
    private ConfigFile(string path, byte[]? bytes, string text)
    {
        Path = path;
        Bytes = bytes;
        Text = text;
    }

    public string Path { get; }

    /// <summary>The bytes read; null when the file does not exist.</summary>
    public byte[]? Bytes { get; }

    public string Text { get; }

    public bool Exists => Bytes is not null;

    public static ConfigFile Read(string path)
    {
        if (!File.Exists(path))
        {
            return new ConfigFile(path, null, "");
        }

        byte[] bytes = File.ReadAllBytes(path);
        string text = Encoding.UTF8.GetString(bytes);
        if (!Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(bytes))
        {
            throw new ConfigFileException($"{path} is not UTF-8 text; nothing was written");
        }

        return new ConfigFile(path, bytes, text);
    }

    /// <summary>Replaces the file with <paramref name="text"/>; returns the .bak path (null for a new file).</summary>
    public string? Replace(string text)
    {
        byte[] content = Encoding.UTF8.GetBytes(text);
        if (Bytes is null)
        {
            if (File.Exists(Path))
            {
                throw new ConfigFileException($"{Path} appeared while it was being edited; nothing was written, run the command again");
            }

            AtomicFile.Write(Path, content, AtomicFile.PrivateMode);
            return null;
        }

        string target = AtomicFile.ResolveSymlinks(Path);
        // The client may rewrite its file at any time (Claude Code updates ~/.claude.json itself): never overwrite a change we did not see.
        if (!File.ReadAllBytes(target).AsSpan().SequenceEqual(Bytes))
        {
            throw new ConfigFileException($"{Path} changed while it was being edited; nothing was written, run the command again");
        }

        UnixFileMode mode = OperatingSystem.IsWindows() ? AtomicFile.PrivateMode : File.GetUnixFileMode(target);
        string backup = target + ".bak";
        AtomicFile.Write(backup, Bytes, mode);
        AtomicFile.Write(target, content, mode, keepExistingMode: true);
        return backup;
    }
}

/// <summary>A config file that cannot be read or written as asked; the message says which and what to do.</summary>
internal sealed class ConfigFileException(string message) : Exception(message);
