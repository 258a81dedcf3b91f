using System.Globalization;

namespace MovieRec.Web.Tests.Servers;

/// <summary>
/// A replica storing ratings in a throwaway PostgreSQL of its own (<see cref="PostgresServer"/>), started before each
/// test and stopped after it: the base of the tests that freeze, stop or exhaust the database under the service.
/// </summary>
public abstract class PostgresReplicaTests : IAsyncLifetime
{
    protected PostgresServer Postgres { get; private set; } = null!;

    protected ReplicaFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Npgsql settings appended to the connection string (e.g. timeouts, pool size); none by default.</summary>
    protected virtual IReadOnlyDictionary<string, int> ConnectionSettings { get; } = new Dictionary<string, int>();

    /// <summary>Service settings of the replica (e.g. MovieRec:StoredRatingsReadTimeout); none by default.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>();

    /// <summary>Services the test adds to the replica (e.g. a log provider); none by default.</summary>
    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices => null;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartNewAsync();
        string ratings = await Postgres.CreateDatabaseAsync("movierec");
        foreach (var (name, value) in ConnectionSettings) ratings += string.Create(CultureInfo.InvariantCulture, $";{name}={value}");
        var settings = ReplicaFactory.Settings(ratings, null);
        foreach (var (name, value) in ServiceSettings) settings[name] = value;
        Factory = new ReplicaFactory(settings) { TestServices = TestServices };
        Client = await Factory.ReadyClientAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }
}
