using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

/// <summary>Backends exiting and coming back: failing what they owed, telling the host to re-list, restarts with backoff.</summary>
public sealed partial class GatewaySession
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    private void OnBackendExited(Backend backend, BackendProcess process, int status)
    {
        bool probing = false;
        lock (_lock)
        {
            if (backend.Process != process || _stopping)
            {
                return;
            }

            if (backend.Probing)
            {
                // Exited on server/discover: a legacy server that dies on unknown methods; the probe restarts it.
                probing = true;
            }
            else
            {
                bool wasReady = backend.State == BackendState.Ready;
                backend.State = wasReady ? BackendState.Exited : BackendState.Failed;
                backend.FailureReason ??= $"exited with status {status} before it was ready";
                backend.NextRestartAt = _time.GetUtcNow() + Backoff(backend.Restarts);
            }
        }

        List<PendingRequest> orphaned = _requests.RemoveBackend(backend);

        _logger.LogBackendExited(backend.Name, status, orphaned.Count(p => p.ClientId is not null));
        string message = $"backend {backend.Name} exited with status {status} before answering; it is restarted on the next request that needs it";
        foreach (PendingRequest pending in orphaned)
        {
            if (pending.ClientId is not null)
            {
                ReplyError(pending.ClientId, JsonRpcErrorCode.ConnectionClosed, message);
            }

            pending.Completion?.TrySetResult(BackendAnswer.Error(message));
        }

        if (!probing)
        {
            NotifyListsChanged();
        }
    }

    /// <summary>Tells the host to re-list what the merged view lost or regained.</summary>
    private void NotifyListsChanged()
    {
        JsonObject? capabilities;
        lock (_lock)
        {
            if (!_clientInitialized || _stopping)
            {
                return;
            }

            capabilities = _mergedCapabilities;
        }

        foreach ((string capability, string method) in new[] { ("tools", McpMethods.ToolsListChanged), ("prompts", McpMethods.PromptsListChanged), ("resources", McpMethods.ResourcesListChanged) })
        {
            if (HostEra == McpEra.Modern)
            {
                // The modern era has no unsolicited change notifications: only the host's listens that asked get one
                // (a listen was honoured only for what some backend offers; a modern host may never have sent discover).
                NotifyHostListens(method, null);
            }
            else if (capabilities?[capability] is not null)
            {
                WriteToClient(Notification(method));
            }
        }
    }

    private async Task<bool> EnsureReadyAsync(Backend backend)
    {
        if (backend.State == BackendState.Ready)
        {
            return true;
        }

        if (backend.State != BackendState.Exited || _clientInitializeParams is null)
        {
            return false;
        }

        await backend.RestartGate.WaitAsync();
        try
        {
            if (backend.State == BackendState.Ready)
            {
                return true;
            }

            if (backend.State != BackendState.Exited || _time.GetUtcNow() < backend.NextRestartAt)
            {
                return false;
            }

            backend.Restarts++;
            _logger.LogBackendRestarting(backend.Name, backend.Restarts);
            backend.State = BackendState.Starting;
            backend.FailureReason = null;
            StartBackend(backend);
            if (backend.State == BackendState.Failed || !await BringUpAsync(backend))
            {
                backend.State = BackendState.Exited;
                backend.NextRestartAt = _time.GetUtcNow() + Backoff(backend.Restarts);
                return false;
            }

            NotifyListsChanged();
            ReopenListens(backend);
            return true;
        }
        finally
        {
            backend.RestartGate.Release();
        }
    }

    private string NotReadyMessage(Backend backend) => backend.State switch
    {
        BackendState.Exited => $"backend {backend.Name} is down ({backend.FailureReason ?? "exited"}); next restart attempt in {Math.Max(0, (backend.NextRestartAt - _time.GetUtcNow()).TotalSeconds):0.#} s",
        _ => $"backend {backend.Name} is not available: {backend.FailureReason ?? "not initialized yet"}",
    };

    /// <summary>No wait for the first restart, then 0.5 s doubling to 30 s for a backend that keeps dying.</summary>
    private static TimeSpan Backoff(int restarts) =>
        restarts == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(s_maxBackoff.TotalMilliseconds, 500 * Math.Pow(2, restarts - 1)));
}
