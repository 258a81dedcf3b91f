using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

public class SemanticSearchTests
{
    [Fact]
    public void Tokenisation_reproduces_the_hugging_face_ids()
    {
        using var embedder = SentenceEmbedder.TryLoad(TinyBertModel.Path, out var reason)!;
        Assert.Null(reason);
        Assert.Equal([101, 1037, 2158, 2003, 5983, 2833, 1012, 102], embedder.Tokenize("A man is eating food."));
        var longText = string.Join(' ', Enumerable.Repeat("robot", 1000));
        Assert.Equal(256, embedder.Tokenize(longText).Length);
    }

    [Fact]
    public void Embeddings_are_unit_vectors_and_padding_does_not_change_them()
    {
        using var embedder = SentenceEmbedder.TryLoad(TinyBertModel.Path, out _)!;
        var alone = embedder.Embed("space adventure with robots");
        var batched = embedder.Embed(["space adventure with robots", "a much longer text about a detective who solves crimes in the rain"]);
        Assert.Equal(32, embedder.Dimensions);
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm(alone), 4);
        for (int d = 0; d < alone.Length; d++) Assert.Equal(alone[d], batched[0][d], 4);
    }

    [Fact]
    public void Without_weights_the_feature_says_it_is_disabled()
    {
        Assert.Null(SentenceEmbedder.TryLoad(TinyBertModel.RealTokenizerFolder, out var reason));
        Assert.Contains("no model.onnx", reason);
        Assert.Null(SentenceEmbedder.TryLoad(null, out var none));
        Assert.Contains(SentenceEmbedder.ModelVariable, none);
    }

    [Fact]
    public void Search_ranks_movies_and_the_cache_invalidates_on_text_or_model_change()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.TryLoad(TinyBertModel.Path, out _)!;
        var movies = DatasetLoader.Load(TestData.TmdbPath).Catalog.Movies.Take(60).ToList();
        var cache = new EmbeddingCache(tmp.Path, embedder.ModelHash, embedder.Dimensions);
        var search = SemanticSearch.Build(movies, embedder, cache);
        Assert.Equal(60, cache.Count);
        var hits = search.Search("space adventure with robots", 5);
        Assert.Equal(5, hits.Count);
        Assert.True(hits[0].Similarity >= hits[4].Similarity);
        // The movie's own text is its nearest neighbour's query: searching it returns the movie first.
        Assert.Equal(movies[3].Id, search.Search(SemanticSearch.MovieText(movies[3]), 1)[0].Movie.Id);
        Assert.DoesNotContain(search.Similar(movies[3].Id, 5), p => p.Movie.Id == movies[3].Id);

        var reloaded = new EmbeddingCache(tmp.Path, embedder.ModelHash, embedder.Dimensions);
        Assert.Equal(60, reloaded.Count);
        Assert.True(reloaded.TryGet(SemanticSearch.MovieText(movies[0]), out _));
        Assert.False(reloaded.TryGet(SemanticSearch.MovieText(movies[0]) + " (edited)", out _));
        var otherModel = new EmbeddingCache(tmp.Path, "0123456789abcdef0123", embedder.Dimensions);
        Assert.Equal(0, otherModel.Count);
    }
}
