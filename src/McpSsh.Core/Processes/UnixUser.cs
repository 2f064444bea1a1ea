using System.Runtime.InteropServices;

namespace McpSsh.Processes;

/// <summary>The real uid of this process (ssh's <c>%i</c> token); Unix only.</summary>
public static partial class UnixUser
{
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static uint RealUserId() => getuid();

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint getuid();
}
