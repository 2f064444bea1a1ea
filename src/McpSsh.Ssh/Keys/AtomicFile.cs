namespace McpSsh.Ssh.Keys;

/// <summary>
/// Writes a whole file so that readers see the old or the new content, never a torn one: write a temp file
/// beside it with the final mode already set, flush to disk, then rename over the target.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode PrivateDirectoryMode = PrivateMode | UnixFileMode.UserExecute;

    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool keepExistingMode = false)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(fullPath)!;
        EnsureDirectory(directory);

        if (keepExistingMode && !OperatingSystem.IsWindows() && File.Exists(fullPath))
        {
            mode = File.GetUnixFileMode(fullPath);
        }

        string temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode is filtered by the umask; set the exact mode we promise.
                File.SetUnixFileMode(temp, mode);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// The file a path finally names, following symbolic links (a known_hosts kept in a dotfiles repository): writes
    /// go to the target so the link stays a link. A path that is no link is returned in full form.
    /// </summary>
    public static string ResolveSymlinks(string path)
    {
        var file = new FileInfo(System.IO.Path.GetFullPath(path));
        return file.LinkTarget is null ? file.FullName : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName;
    }

    /// <summary>Creates a missing directory (like ~/.ssh) as 0700.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, PrivateDirectoryMode);
        }
    }
}
