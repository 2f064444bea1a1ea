namespace McpSsh.Ssh.Config;

/// <summary>
/// The keywords OpenSSH's client knows (ssh_config(5) up to OpenSSH 9.9, plus Apple's UseKeychain), so that a
/// keyword ssh uses and mcp-ssh does not is ignored quietly, while a misspelling of one mcp-ssh relies on
/// (<c>ProxyJmp</c>) is an error: ssh refuses such a file, and ignoring it would connect directly or check less.
/// </summary>
internal static class SshConfigVocabulary
{
    private static readonly HashSet<string> s_known = new(StringComparer.Ordinal)
    {
        "addkeystoagent", "addressfamily", "batchmode", "bindaddress", "bindinterface", "canonicaldomains",
        "canonicalizefallbacklocal", "canonicalizehostname", "canonicalizemaxdots", "canonicalizepermittedcnames",
        "casignaturealgorithms", "certificatefile", "channeltimeout", "challengeresponseauthentication", "checkhostip",
        "cipher", "ciphers", "clearallforwardings", "compression", "compressionlevel", "connectionattempts",
        "connecttimeout", "controlmaster", "controlpath", "controlpersist", "dsaauthentication", "dynamicforward",
        "enableescapecommandline", "enablesshkeysign", "escapechar", "exitonforwardfailure", "fallbacktorsh",
        "fingerprinthash", "forkafterauthentication", "forwardagent", "forwardx11", "forwardx11timeout",
        "forwardx11trusted", "gatewayports", "globalknownhostsfile", "gssapiauthentication", "gssapiclientidentity",
        "gssapidelegatecredentials", "gssapikexalgorithms", "gssapikeyexchange", "gssapirenewalforcesrekey",
        "gssapiserveridentity", "gssapitrustdns", "hashknownhosts", "host", "hostbasedacceptedalgorithms",
        "hostbasedauthentication", "hostbasedkeytypes", "hostkeyalgorithms", "hostkeyalias", "hostname",
        "identitiesonly", "identityagent", "identityfile", "ignoreunknown", "include", "ipqos",
        "kbdinteractiveauthentication", "kbdinteractivedevices", "kexalgorithms", "knownhostscommand",
        "localcommand", "localforward", "loglevel", "logverbose", "macs", "match", "nohostauthenticationforlocalhost",
        "numberofpasswordprompts", "obscurekeystroketiming", "passwordauthentication", "permitlocalcommand",
        "permitremoteopen", "pkcs11provider", "port", "preferredauthentications", "protocol", "proxycommand",
        "proxyjump", "proxyusefdpass", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes", "pubkeyauthentication",
        "refuseconnection", "rekeylimit", "remotecommand", "remoteforward", "requesttty", "requiredrsasize",
        "revokedhostkeys", "rhostsrsaauthentication", "rsaauthentication", "securitykeyprovider", "sendenv",
        "serveralivecountmax", "serveraliveinterval", "sessiontype", "setenv", "smartcarddevice", "stdinnull",
        "streamlocalbindmask", "streamlocalbindunlink", "stricthostkeychecking", "syslogfacility", "tag",
        "tcpkeepalive", "tunnel", "tunneldevice", "updatehostkeys", "usekeychain", "useprivilegedport", "user",
        "userknownhostsfile", "useroaming", "verifyhostkeydns", "versionaddendum", "visualhostkey",
        "warnweakcrypto", "xauthlocation",
    };

    /// <summary>The keywords whose loss would weaken the connection: a near miss of one of them is an error.</summary>
    private static readonly string[] s_guarded =
    [
        "hostname", "port", "user", "identityfile", "identitiesonly", "identityagent", "certificatefile", "proxyjump",
        "proxycommand", "userknownhostsfile", "globalknownhostsfile", "stricthostkeychecking", "hostkeyalias",
        "hashknownhosts", "connecttimeout", "serveraliveinterval", "serveralivecountmax", "include", "match", "host",
    ];

    public static bool IsKnown(string keyword) => s_known.Contains(keyword);

    /// <summary>The keyword mcp-ssh uses that <paramref name="keyword"/> is probably a misspelling of, if any.</summary>
    public static string? NearMiss(string keyword) =>
        s_guarded.FirstOrDefault(g => Distance(g, keyword) <= (g.Length <= 5 ? 1 : 2));

    /// <summary>Levenshtein distance (keywords are short).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
