namespace MovieRec.Web.Queries;

/// <summary>Registers the query services the API endpoints and the page models share.</summary>
public static class QueriesSetup
{
    public static IServiceCollection AddMovieRecQueries(this IServiceCollection services)
    {
        services.AddSingleton<AlgorithmChoices>();
        services.AddSingleton<MovieListQueries>();
        services.AddSingleton<SearchQueries>();
        services.AddSingleton<SimilarQueries>();
        services.AddSingleton<MovieDetailQueries>();
        services.AddSingleton<RecommendationQueries>();
        services.AddSingleton<DiscoveryQueries>();
        services.AddSingleton<AccountRatings>();
        return services;
    }
}
