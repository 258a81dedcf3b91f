"""Train Spark MLlib ALS on a MovieLens ratings file and save it where `movierec import spark-als` reads it.

    spark-submit deploy/spark/als_train.py --ratings s3a://movierec/datasets/ml-25m/ratings.csv \
        --out s3a://movierec/models/spark/als --rank 100 --max-iter 15 --reg-param 0.05

The output folder (local path, hdfs:// or s3a://) is a saved ALSModel (metadata/part-00000, userFactors/ and
itemFactors/ as Parquet with columns id int and features array<float>) plus hyperparameters.json beside them: the
estimator's parameters that the model metadata does not keep (regParam, implicitPrefs, ...), the input, the number
of training ratings, the holdout RMSE and a model id. LAYOUT below is the contract with the importer
(src/MovieRec.Core/Models/SparkAlsImport.cs); tests/MovieRec.Core.Tests/Models/SparkJobLayoutTests.cs reads it from
this file and checks it against the importer, and the job checks the model it trained against it before saving.

Only the standard library is imported at module level, so the contract and the argument parsing can be checked
without Spark: `python3 als_train.py ... --print-hyperparameters` prints what would be written and exits.
"""

import argparse
import datetime
import json
import sys

# What the job writes, relative to --out. The factor schema is Spark's simpleString of ALSModel.userFactors.
LAYOUT = {
    "metadata": "metadata/part-00000",
    "user_factors": "userFactors",
    "item_factors": "itemFactors",
    "factor_schema": "struct<id:int,features:array<float>>",
    "id_column": "id",
    "features_column": "features",
    "hyperparameters": "hyperparameters.json",
    "model_class": "org.apache.spark.ml.recommendation.ALSModel",
}

# MovieLens ratings.csv: a header row, then userId,movieId,rating,timestamp (LF or CRLF line endings).
RATINGS_SCHEMA = "userId INT, movieId INT, rating FLOAT, timestamp LONG"


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Train ALS on MovieLens ratings and save it for `movierec import spark-als`.")
    parser.add_argument("--ratings", required=True, help="ratings.csv: a local path, hdfs:// or s3a:// URI")
    parser.add_argument("--out", required=True, help="the model folder to write (replaced if present)")
    parser.add_argument("--rank", type=int, default=100)
    parser.add_argument("--max-iter", type=int, default=15)
    parser.add_argument("--reg-param", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--holdout", type=float, default=0.1,
                        help="share of ratings held out to report RMSE (0: train on all, no RMSE)")
    parser.add_argument("--print-hyperparameters", action="store_true",
                        help="print the hyperparameters.json the arguments give and exit (no Spark needed)")
    args = parser.parse_args(argv)
    if args.rank < 1:
        parser.error(f"--rank must be at least 1, not {args.rank}")
    if args.max_iter < 1:
        parser.error(f"--max-iter must be at least 1, not {args.max_iter}")
    if not args.reg_param >= 0:
        parser.error(f"--reg-param must be non-negative, not {args.reg_param}")
    if not 0 <= args.holdout < 1:
        parser.error(f"--holdout must be in [0, 1), not {args.holdout}")
    return args


def hyperparameters(args, trained_at, train_ratings=None, holdout_rmse=None, spark_version=None):
    """The hyperparameters.json object: the estimator's params (what the ALSModel metadata lacks) and the run."""
    stamp = trained_at.strftime("%Y%m%dT%H%M%SZ")
    return {
        "modelId": f"als-{stamp}",
        "trainedAt": trained_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "ratings": args.ratings,
        "rank": args.rank,
        "maxIter": args.max_iter,
        "regParam": args.reg_param,
        "implicitPrefs": False,
        "seed": args.seed,
        "coldStartStrategy": "drop",
        "userCol": "userId",
        "itemCol": "movieId",
        "ratingCol": "rating",
        "holdoutFraction": args.holdout,
        "trainRatings": train_ratings,
        "holdoutRmse": holdout_rmse,
        "sparkVersion": spark_version,
    }


def check_layout(model):
    """Refuses to save a model whose factor tables are not what the importer reads."""
    for name, frame in (("userFactors", model.userFactors), ("itemFactors", model.itemFactors)):
        schema = frame.schema.simpleString()
        if schema != LAYOUT["factor_schema"]:
            raise SystemExit(f"{name} has schema {schema}, not {LAYOUT['factor_schema']}: the importer could not read it")


def write_text(spark, path, text):
    """One small file through Hadoop's FileSystem, so --out may be local, hdfs:// or s3a:// alike."""
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    fs = target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    stream = fs.create(target, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    trained_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    if args.print_hyperparameters:
        print(json.dumps(hyperparameters(args, trained_at), indent=2))
        return 0

    from pyspark.ml.evaluation import RegressionEvaluator
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("movierec-als").getOrCreate()
    ratings = (spark.read.csv(args.ratings, header=True, schema=RATINGS_SCHEMA, mode="FAILFAST")
               .select("userId", "movieId", "rating")
               .dropna())
    if args.holdout > 0:
        train, test = ratings.randomSplit([1 - args.holdout, args.holdout], seed=args.seed)
    else:
        train, test = ratings, None
    train = train.cache()
    train_count = train.count()
    if train_count == 0:
        raise SystemExit(f"{args.ratings} holds no ratings to train on")

    als = ALS(rank=args.rank, maxIter=args.max_iter, regParam=args.reg_param, userCol="userId", itemCol="movieId",
              ratingCol="rating", implicitPrefs=False, coldStartStrategy="drop", nonnegative=False, seed=args.seed)
    model = als.fit(train)
    rmse = None
    if test is not None:
        rmse = RegressionEvaluator(metricName="rmse", labelCol="rating", predictionCol="prediction").evaluate(model.transform(test))

    check_layout(model)
    out = args.out.rstrip("/")
    model.write().overwrite().save(out)
    # Written last: its presence says the model beside it is complete.
    write_text(spark, f"{out}/{LAYOUT['hyperparameters']}",
               json.dumps(hyperparameters(args, trained_at, train_count, rmse, spark.version), indent=2) + "\n")
    print(f"saved ALS rank {args.rank} trained on {train_count} ratings to {out}"
          + (f" (holdout RMSE {rmse:.4f})" if rmse is not None else ""))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
