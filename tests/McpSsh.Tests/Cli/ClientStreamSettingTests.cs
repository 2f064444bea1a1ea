using McpSsh.Cli.Commands;
using McpSsh.Relay;

namespace McpSsh.Tests.Cli;

public class ClientStreamSettingTests
{
    [Theory]
    [InlineData(null, RelayOptions.DefaultStreamAboveBytes, false)]
    [InlineData("", RelayOptions.DefaultStreamAboveBytes, false)]
    [InlineData("off", long.MaxValue, false)]
    [InlineData("65536", 65536L, false)]
    [InlineData("1023", RelayOptions.DefaultStreamAboveBytes, true)]
    [InlineData("-5", RelayOptions.DefaultStreamAboveBytes, true)]
    [InlineData("lots", RelayOptions.DefaultStreamAboveBytes, true)]
    public void StreamAboveVariable_IsReadOrWarnedAbout(string? value, long expected, bool warned)
    {
        var warnings = new List<string>();
        Assert.Equal(expected, ClientSettings.StreamAboveFrom(value, warnings));
        Assert.Equal(warned, warnings.Count == 1 && warnings[0].StartsWith(ClientSettings.StreamAboveVariable, StringComparison.Ordinal));
    }
}
