# Homebrew formula for release builds. publish/fill-manifests (run by scripts/release and by the release
# workflow) fills in the version and the SHA256_* values of the uploaded archives
# (mcp-ssh-<version>-{osx-arm64,osx-x64,linux-x64,linux-arm64}.tar.gz, each holding mcp-ssh, LICENSE, README.md).
class McpSsh < Formula
  desc "Use MCP servers on another machine over SSH, as if they were local"
  homepage "https://github.com/mcp-ssh/mcp-ssh"
  version "VERSION"
  license "MIT"

  on_macos do
    on_arm do
      url "https://github.com/mcp-ssh/mcp-ssh/releases/download/vVERSION/mcp-ssh-VERSION-osx-arm64.tar.gz"
      sha256 "SHA256_OSX_ARM64"
    end
    on_intel do
      url "https://github.com/mcp-ssh/mcp-ssh/releases/download/vVERSION/mcp-ssh-VERSION-osx-x64.tar.gz"
      sha256 "SHA256_OSX_X64"
    end
  end

  on_linux do
    on_arm do
      url "https://github.com/mcp-ssh/mcp-ssh/releases/download/vVERSION/mcp-ssh-VERSION-linux-arm64.tar.gz"
      sha256 "SHA256_LINUX_ARM64"
    end
    on_intel do
      url "https://github.com/mcp-ssh/mcp-ssh/releases/download/vVERSION/mcp-ssh-VERSION-linux-x64.tar.gz"
      sha256 "SHA256_LINUX_X64"
    end
  end

  def install
    bin.install "mcp-ssh"
  end

  test do
    assert_match "mcp-ssh #{version} (commit", shell_output("#{bin}/mcp-ssh --version")
    # No server listens on port 1: after generating its default key the client fails fast with exit code 3.
    output = shell_output("HOME=#{testpath} #{bin}/mcp-ssh --host 127.0.0.1 --port 1 2>&1 </dev/null", 3)
    assert_match "connection refused by 127.0.0.1:1", output
  end
end
