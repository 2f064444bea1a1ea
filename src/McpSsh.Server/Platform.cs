// serve runs OpenSSH's sshd and Unix process signals: Linux and macOS only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
