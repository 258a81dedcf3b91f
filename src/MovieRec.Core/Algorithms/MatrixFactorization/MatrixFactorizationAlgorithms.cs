using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>The matrix-factorisation family (and Surprise's NormalPredictor) for <see cref="AlgorithmRegistry"/>.</summary>
public static class MatrixFactorizationAlgorithms
{
    public static IEnumerable<AlgorithmInfo> All
    {
        get
        {
            yield return new AlgorithmInfo("svd", "Biased matrix factorisation by SGD, Surprise's SVD defaults (Koren, Bell & Volinsky 2009).",
                p => new Svd(SvdOptions.From(p)), true);
            yield return new AlgorithmInfo("svd-tuned", "Our tuned SVD preset: more epochs, learning-rate decay, per-parameter regularisation.",
                p => new Svd(SvdOptions.From(p, SvdOptions.Tuned), "svd-tuned"), true);
        }
    }

    /// <summary>A model read from a file, by the algorithm name it records.</summary>
    public static IRecommenderModel Restore(ModelContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return contents.Algorithm switch
        {
            "svd" or "svd-tuned" => Svd.Restore(contents),
            _ => throw ModelFileError.Create(contents.Path, $"the algorithm '{contents.Algorithm}' cannot be restored by this build"),
        };
    }
}
