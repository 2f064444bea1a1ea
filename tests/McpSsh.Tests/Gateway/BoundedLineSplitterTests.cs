using System.Text;
using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class BoundedLineSplitterTests
{
    private static List<string> Split(int max, params string[] chunks)
    {
        var lines = new List<string>();
        var splitter = new BoundedLineSplitter(lines.Add, max);
        foreach (string chunk in chunks)
        {
            splitter.Feed(Encoding.UTF8.GetBytes(chunk));
        }

        splitter.Complete();
        return lines;
    }

    [Fact]
    public void ShortLines_AcrossChunks_AreWhole()
    {
        Assert.Equal(["one", "two", "three"], Split(16, "on", "e\ntw", "o\r\nthree"));
    }

    [Fact]
    public void LongLine_KeepsItsStart_AndCountsTheCut()
    {
        Assert.Equal(["abcd … [cut 6 bytes]", "next"], Split(4, "abcdef", "ghij\nnext\n"));
    }

    [Fact]
    public void Cut_NeverSplitsAUtf8Character()
    {
        // "aé" is 3 bytes; with room for 2 the é (2 bytes) does not fit and is counted as cut.
        Assert.Equal(["a … [cut 3 bytes]"], Split(2, "aéb\n"));
    }
}
