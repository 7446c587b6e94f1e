using Microsoft.Extensions.DependencyInjection;

namespace Crawler.Cli;

/// <summary>
/// One command's services: the composition root built for the data folder and policies the command names, and one
/// scope in which the person acting is authenticated when first needed.
/// </summary>
public sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _root;
    private readonly AsyncServiceScope _scope;

    private CliSession(ServiceProvider root)
    {
        _root = root;
        _scope = root.CreateAsyncScope();
    }

    public TimeProvider Time => Get<TimeProvider>();

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Builds the services over a data folder; opening the folder now, so a missing folder or a wrong key is reported at once.</summary>
    public static CliSession Open(Action<IServiceCollection> compose)
    {
        var services = new ServiceCollection();
        compose(services);
        var session = new CliSession(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
        try
        {
            _ = session.Get<Core.Storage.IInstallationStore>();
            return session;
        }
        catch
        {
            session._root.Dispose();
            throw;
        }
    }

    public T Get<T>() where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _root.DisposeAsync();
    }
}
