using System.CommandLine;
using System.Globalization;
using System.Text;
using MovieRec.Core.Algorithms.Content;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>`movierec export similarity`: the content similarity as the first seed's dense .npy matrix or top-k CSV.</summary>
internal static class ExportCommands
{
    /// <summary>Largest catalogue written as a dense matrix: 20,000² float32 = 1.6 GB.</summary>
    public const int MaxDenseMovies = 20_000;

    public static Command Create(CliContext context)
    {
        var export = new Command("export", "Export model artefacts.");
        var format = new Option<string>("--format") { Description = "npy (dense float32 matrix, small catalogues) or csv (top-k lists).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "npy");
        var output = new Option<string>("--out") { Description = "The file to write.", Required = true };
        var k = CommonOptions.K("Neighbours per movie in csv.");
        k.DefaultValueFactory = _ => 20;
        var data = CommonOptions.Data();
        var similarity = new Command("similarity", "Content similarity (directors, top-3 cast, keywords, genres, MovieLens tags, decade).") { format, output, k, data };
        similarity.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            CommonOptions.CheckOutput(path, "--out");
            int neighbours = parse.GetValue(format) == "csv" ? CommonOptions.Positive(parse, k) : 0;
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, lenient: false, acceptsColumns: false);
            var movies = dataset.Catalog.Movies;
            switch (parse.GetValue(format))
            {
                case "npy":
                    if (movies.Count > MaxDenseMovies)
                        throw new CliException($"{movies.Count:N0} movies is too many for a dense matrix (at most {MaxDenseMovies:N0}, {MaxDenseMovies}² float32 = 1.6 GB); use --format csv.");
                    var vectors = ContentSimilarity.Build(movies, new ContentSimilarityOptions { Neighbours = 1 }).Vectors;
                    CommonOptions.WriteOutput(path, "--out", () => WriteDenseNpy(path, vectors));
                    context.Console.WriteLine($"Wrote a {movies.Count} x {movies.Count} float32 matrix to {path} (rows in catalogue order).");
                    break;
                case "csv":
                    var sim = ContentSimilarity.Build(movies, new ContentSimilarityOptions { Neighbours = neighbours });
                    CommonOptions.WriteOutput(path, "--out", () =>
                    {
                        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
                        writer.WriteLine("movieId,rank,similarMovieId,similarity");
                        foreach (var m in movies)
                        {
                            int rank = 1;
                            foreach (var (other, s) in sim.Similar(m.Id, sim.Index.K))
                                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Id},{rank++},{other.Id},{s:0.######}"));
                        }
                    });
                    context.Console.WriteLine($"Wrote the top {sim.Index.K} similar movies of {movies.Count} movies to {path}.");
                    break;
                default:
                    throw new CliException($"--format must be npy or csv, not '{parse.GetValue(format)}'.");
            }
            return 0;
        });
        export.Subcommands.Add(similarity);
        return export;
    }

    /// <summary>A NumPy .npy v1.0 file of the dense cosine matrix, written row by row (never all in memory).</summary>
    internal static void WriteDenseNpy(string path, SparseVectors vectors)
    {
        int n = vectors.Rows;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var header = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({n}, {n}), }}");
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        // Dense rows from the sparse vectors through a term-indexed scratch row: O(nnz) per row pair touched.
        var dense = new float[vectors.Vocabulary.Count];
        var row = new float[n];
        var bytes = new byte[n * sizeof(float)];
        for (int i = 0; i < n; i++)
        {
            var ti = vectors.RowTerms(i);
            var wi = vectors.RowWeights(i);
            for (int t = 0; t < ti.Length; t++) dense[ti[t]] = wi[t];
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                var tj = vectors.RowTerms(j);
                var wj = vectors.RowWeights(j);
                for (int t = 0; t < tj.Length; t++) s += dense[tj[t]] * wj[t];
                row[j] = s;
            }
            for (int t = 0; t < ti.Length; t++) dense[ti[t]] = 0;
            Buffer.BlockCopy(row, 0, bytes, 0, bytes.Length);
            stream.Write(bytes);
        }
    }
}
