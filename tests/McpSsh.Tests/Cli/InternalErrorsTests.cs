using McpSsh.Cli;

namespace McpSsh.Tests.Cli;

public class InternalErrorsTests
{
    [Fact]
    public void Describe_MultiLineMessage_IsOneLineNamingTheTypeAndTheFix()
    {
        Exception thrown;
        try
        {
            throw new ArgumentException("first line\nsecond line\r\nthird");
        }
        catch (ArgumentException ex)
        {
            thrown = ex;
        }

        string line = InternalErrors.Describe(thrown);

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.StartsWith("mcp-ssh: internal error: ArgumentException: first line second line third (at ", line, StringComparison.Ordinal);
        Assert.Contains(nameof(Describe_MultiLineMessage_IsOneLineNamingTheTypeAndTheFix), line, StringComparison.Ordinal);
        Assert.EndsWith("please report it with the log of a run at --log-level DEBUG", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_StderrThatThrows_StillReturnsTheInternalExitCode()
    {
        using var closed = new StringWriter();
        closed.Dispose();

        Assert.Equal(1, InternalErrors.Report(new InvalidOperationException("x"), closed));
    }
}
