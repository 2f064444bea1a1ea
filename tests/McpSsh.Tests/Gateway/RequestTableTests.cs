using System.Text.Json.Nodes;
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

        Assert.True(table.TryCancel(JsonNode.Parse("\"caf\\u00e9\"")!, out long cancelled, out PendingRequest pending));
        Assert.Equal(id, cancelled);
        Assert.Same(s_b, pending.Backend);
        Assert.False(table.TryComplete(id, out _)); // a late answer is dropped
        Assert.False(table.TryCancel(JsonNode.Parse("\"café\"")!, out _, out _));
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
        long asked = table.AddServerRequest(s_a, JsonValue.Create(7));

        var orphaned = table.RemoveBackend(s_a);

        Assert.Equal(["1", "2"], orphaned.Select(p => p.ClientId).Order());
        Assert.False(table.TryCancel(JsonValue.Create(1), out _, out _));
        Assert.False(table.TryResolveServerRequest(asked, out _));
        Assert.True(table.TryComplete(kept, out _));
    }

    [Fact]
    public void ServerRequests_GetHostUniqueIds_AndAnswersGoBackUnderTheBackendsOwnId()
    {
        var table = new RequestTable();
        long fromA = table.AddServerRequest(s_a, JsonValue.Create(0));
        long fromB = table.AddServerRequest(s_b, JsonValue.Create(0)); // both backends number from 0
        Assert.NotEqual(fromA, fromB);

        Assert.True(table.TryResolveServerRequest(fromB, out ServerRequest request));
        Assert.Same(s_b, request.Backend);
        Assert.Equal(0, request.OriginalId!.GetValue<int>());

        Assert.False(table.TryWithdrawServerRequest(s_b, JsonValue.Create(0), out _)); // already answered
        Assert.True(table.TryWithdrawServerRequest(s_a, JsonValue.Create(0), out long withdrawn));
        Assert.Equal(fromA, withdrawn);
        Assert.False(table.TryResolveServerRequest(fromA, out _));
    }
}
