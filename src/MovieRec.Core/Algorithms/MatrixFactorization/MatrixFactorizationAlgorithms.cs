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
            yield return new AlgorithmInfo("svdpp", "SVD++: biased MF with implicit feedback from the rated items, Surprise's SVDpp defaults (Koren 2008).",
                p => new SvdPlusPlus(SvdPlusPlusOptions.From(p)), true);
            yield return new AlgorithmInfo("nmf", "Non-negative MF by regularised multiplicative updates, Surprise's NMF defaults (Luo et al. 2014).",
                p => new Nmf(NmfOptions.From(p)), true);
            yield return new AlgorithmInfo("normal", "Random N(mu, sigma) of the training ratings, Surprise's NormalPredictor (a floor to beat).",
                _ => new Baselines.NormalPredictor(), true);
        }
    }

    /// <summary>A model read from a file, by the algorithm name it records (any persistent model: see <see cref="PersistentModels"/>).</summary>
    public static IRecommenderModel Restore(ModelContents contents) => PersistentModels.Restore(contents);
}
