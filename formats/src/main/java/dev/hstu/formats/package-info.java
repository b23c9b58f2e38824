/**
 * Every file format of the project, each owned by one class with its one reader and one writer, in plain Java (and
 * Jackson): no DJL, no Flink, so any module can read and write them.
 *
 * <ul>
 *   <li>{@link dev.hstu.formats.io.AtomicFiles}: the write-to-temporary, fsync, rename every writer goes through;
 *   <li>{@link dev.hstu.formats.io.InputReject}: the typed rejection of a bad input line, naming {@code file:line} and
 *       the reason, that every reader hands to its caller;
 *   <li>{@link dev.hstu.formats.seq.SeqJsonl}: the seed's {@code seq.jsonl} and {@code predict_seq.jsonl};
 *   <li>{@link dev.hstu.formats.movielens.MovieLensRatings}: MovieLens {@code ratings.csv}, with {@link
 *       dev.hstu.formats.movielens.MovieLensActions} for what a rating means as an action;
 *   <li>{@link dev.hstu.formats.seqtext.SequenceText}: the {@code user item item ...} text of the S3-Rec, ICLRec and
 *       SASRec releases (or {@code user item} pairs);
 *   <li>{@link dev.hstu.formats.recbole.RecBoleInter}: RecBole's atomic {@code .inter} files, with {@link
 *       dev.hstu.formats.io.TokenIds} for dense ids of their tokens;
 *   <li>{@link dev.hstu.formats.jsonl.JsonLines}: JSON Lines, one value a line, errors naming {@code file:line};
 *   <li>{@link dev.hstu.formats.vectors.EmbeddingFiles}: {@code .fbin} vectors and {@code .u64bin} ids and top-k
 *       matrices;
 *   <li>{@link dev.hstu.formats.vectors.MultimodalEmbeddingFiles}: multimodal item embeddings (JSON lines or an
 *       {@code .fbin} with its {@code _id.u64bin});
 *   <li>{@link dev.hstu.formats.store.ModelStore}, {@link dev.hstu.formats.store.ModelVersion}, {@link
 *       dev.hstu.formats.store.ModelFiles}: the model store (versions {@code v-NNNNNNNN}, each with its manifest and
 *       checksum) and the names of the files in a version;
 *   <li>{@link dev.hstu.formats.seed.SeedDataDirectory}, {@link dev.hstu.formats.seed.SeedIndexer}: the seed data
 *       directory, its {@code indexer.json} and {@code predict_set.jsonl}.
 * </ul>
 */
package dev.hstu.formats;
