namespace McpSsh.Server.Sshd;

/// <summary>
/// sshd's StrictModes (on by default) ignores an authorized_keys file that is group- or world-writable, or that
/// sits below a directory that is (each ancestor up to the user's home directory or /, sticky bit or not:
/// OpenSSH's safe_path in misc.c). serve would then look healthy while refusing every login, so it checks the
/// same paths at start and refuses with the reason and the fix.
/// </summary>
public static class StrictModesCheck
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <param name="authorizedKeysFiles">The files sshd will read keys from (existing or not yet).</param>
    /// <param name="home">The login user's home directory: sshd stops walking up there.</param>
    /// <returns>Null when sshd would accept them; otherwise the one-line reason and fix.</returns>
    public static string? Problem(IEnumerable<string> authorizedKeysFiles, string? home)
    {
        foreach (string file in authorizedKeysFiles)
        {
            string full = Path.GetFullPath(file);
            if (File.Exists(full) && (File.GetUnixFileMode(full) & GroupOrOtherWrite) != 0)
            {
                return $"sshd's StrictModes would refuse every login: the authorized keys file {full} is group- or world-writable (mode {Octal(full)}). Fix: chmod go-w {full}";
            }

            for (string? dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (Directory.Exists(dir) && (File.GetUnixFileMode(dir) & GroupOrOtherWrite) != 0)
                {
                    return $"sshd's StrictModes would refuse every login: {dir} is group- or world-writable (mode {Octal(dir)}) and holds the authorized keys file {full}. "
                        + "Fix: choose a --state-dir (and --authorized-clients) below a directory only you can write, e.g. the default ~/.local/state/mcp-ssh, "
                        + "or pass --sshd-option StrictModes=no to turn sshd's check off";
                }

                if (home is not null && string.Equals(Path.TrimEndingDirectorySeparator(dir), Path.TrimEndingDirectorySeparator(home), StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        return null;
    }

    /// <summary>True when the --sshd-option pairs turn StrictModes off (the check is then sshd's business no more).</summary>
    public static bool IsOff(IEnumerable<(string Key, string Value)> sshdOptions) =>
        sshdOptions.Any(o => o.Key.Equals("StrictModes", StringComparison.OrdinalIgnoreCase) && o.Value.Equals("no", StringComparison.OrdinalIgnoreCase));

    private static string Octal(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
}
