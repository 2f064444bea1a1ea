using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class RequestTableTests
{
    private static readonly Backend s_a = new(new ServerConfig("a", "/bin/a", [], new Dictionary<string, string>(), null));
    private static readonly Backend s_b = new(new ServerConfig("b", "/bin/b", [], new Dictionary<string, string>(), null));

    [Fact]
    public void SameHostIdToTwoBackends_GetsDistinctGatewayIds_AndEachAnswerFindsItsRequest()
    {
        var table = new RequestTable();
        long first = table.AddForwarded(s_a, "1");
        long second = table.AddForwarded(s_b, "\"x\"");
        Assert.NotEqual(first, second);

        Assert.True(table.TryComplete(second, out PendingRequest pending));
        Assert.Equal((s_b, "\"x\""), (pending.Backend, pending.ClientId));
        Assert.False(table.TryComplete(second, out _)); // answered once only
        Assert.True(table.TryComplete(first, out pending));
        Assert.Equal("1", pending.ClientId);
        Assert.Equal(0, table.PendingCount);
    }

    [Fact]
    public void Cancel_FindsTheBackendByTheHostsId_InAnySpelling_AndForgetsIt()
    {
        var table = new RequestTable();
        long id = table.AddForwarded(s_b, "\"caf\u00e9\"");

        Assert.True(table.TryCancel("\"caf\\u00e9\"", out long cancelled, out PendingRequest pending));
        Assert.Equal(id, cancelled);
        Assert.Same(s_b, pending.Backend);
        Assert.False(table.TryComplete(id, out _)); // a late answer is dropped
        Assert.False(table.TryCancel("\"café\"", out _, out _));
    }

    [Fact]
    public void OwnRequests_CompleteTheirWaiter_AndTimeoutsForget()
    {
        var table = new RequestTable();
        var completion = new TaskCompletionSource<BackendAnswer>();
        long id = table.AddOwn(s_a, completion);
        long forgotten = table.AddOwn(s_a, new TaskCompletionSource<BackendAnswer>());
        table.Forget(forgotten);

        Assert.True(table.TryComplete(id, out PendingRequest pending));
        Assert.Same(completion, pending.Completion);
        Assert.Null(pending.ClientId);
        Assert.False(table.TryComplete(forgotten, out _));
    }

    [Fact]
    public void RemoveBackend_ReturnsOnlyWhatThatBackendOwed()
    {
        var table = new RequestTable();
        table.AddForwarded(s_a, "1");
        table.AddForwarded(s_a, "2");
        long kept = table.AddForwarded(s_b, "3");
        long asked = table.AddServerRequest(s_a, "7");

        var orphaned = table.RemoveBackend(s_a);

        Assert.Equal(["1", "2"], orphaned.Select(p => p.ClientId).Order());
        Assert.False(table.TryCancel("1", out _, out _));
        Assert.False(table.TryResolveServerRequest(asked, out _));
        Assert.True(table.TryComplete(kept, out _));
    }

    [Fact]
    public void ServerRequests_GetHostUniqueIds_AndAnswersGoBackUnderTheBackendsOwnId()
    {
        var table = new RequestTable();
        long fromA = table.AddServerRequest(s_a, "0");
        long fromB = table.AddServerRequest(s_b, "0"); // both backends number from 0
        Assert.NotEqual(fromA, fromB);

        Assert.True(table.TryResolveServerRequest(fromB, out ServerRequest request));
        Assert.Same(s_b, request.Backend);
        Assert.Equal("0", request.OriginalId);

        Assert.False(table.TryWithdrawServerRequest(s_b, "0", out _)); // already answered
        Assert.True(table.TryWithdrawServerRequest(s_a, "0", out long withdrawn));
        Assert.Equal(fromA, withdrawn);
        Assert.False(table.TryResolveServerRequest(fromA, out _));
    }

    [Fact]
    public void LoneSurrogateIds_AreKeysLikeAnyOther_AndNeverThrow()
    {
        var table = new RequestTable();
        long id = table.AddForwarded(s_a, "\"\\ud800\"");
        Assert.True(table.TryCancel("\"\\uD800\"", out long cancelled, out _));
        Assert.Equal(id, cancelled);

        long asked = table.AddServerRequest(s_b, "\"x\\udc00\"");
        Assert.True(table.TryWithdrawServerRequest(s_b, "\"\\u0078\\udc00\"", out long withdrawn));
        Assert.Equal(asked, withdrawn);
    }

    [Fact]
    public void TryComplete_FromAnotherBackend_LeavesTheRequestPending()
    {
        var table = new RequestTable();
        long id = table.AddForwarded(s_a, "1");
        Assert.False(table.TryComplete(id, s_b, out _));
        Assert.True(table.TryComplete(id, s_a, out _));
    }
}
