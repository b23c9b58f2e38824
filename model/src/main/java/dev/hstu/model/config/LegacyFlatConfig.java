package dev.hstu.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The flat form of {@code config.json} written before the configuration was split into sections (one object of 52
 * settings, optional features switched off by 0, false or an empty list): how it reads as the composed form, so
 * that saved models keep loading.
 */
public final class LegacyFlatConfig {

    /** Flat name to its composed key; members of an optional group are switched on by {@link #toComposed}. */
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("itemCapacity", "items.capacity");
        KEYS.put("encoder", "encoder.type");
        KEYS.put("embeddingDim", "encoder.embeddingDim");
        KEYS.put("maxSeqLen", "encoder.maxSeqLen");
        for (String stu : new String[] {
            "numLayers",
            "numHeads",
            "attentionDim",
            "linearDim",
            "dropout",
            "normType",
            "attentionNorm",
            "positionBuckets",
            "timeBuckets",
            "relativeTimeBias"
        }) {
            KEYS.put(stu, "stu." + stu);
        }
        KEYS.put("numActions", "features.actions.numActions");
        KEYS.put("actionEncoder", "features.actions.encoding");
        KEYS.put("actionBitWeights", "features.actions.bitWeights");
        KEYS.put("timeFeatures", "features.time");
        KEYS.put("denseFeatureDim", "features.denseDim");
        KEYS.put("multimodalDims", "features.multimodalDims");
        KEYS.put("userFeatureSlots", "features.userFeatures.slots");
        KEYS.put("userFeatureBuckets", "features.userFeatures.buckets");
        KEYS.put("featureGating", "features.gating");
        KEYS.put("gatingReduction", "features.gating.reduction");
        KEYS.put("inputDropout", "features.inputDropout");
        KEYS.put("idDropoutStart", "features.idDropout.start");
        KEYS.put("idDropoutAnnealSteps", "features.idDropout.annealSteps");
        for (String task : new String[] {
            "numNegatives",
            "inBatchNegatives",
            "negativeSampling",
            "popularityWindow",
            "logQCorrection",
            "temperature",
            "clickTemperature",
            "exposureTemperature",
            "clickTargetWeight",
            "exposureTargetWeight",
            "rankLoss",
            "rankLossWeight"
        }) {
            KEYS.put(task, "task." + task);
        }
        KEYS.put("rankPackageCounts", "task.rankPackage.counts");
        KEYS.put("rankPackageHotShare", "task.rankPackage.hotShare");
        KEYS.put("hardNegativeCacheSize", "task.hardNegatives.cacheSize");
        KEYS.put("hardNegatives", "task.hardNegatives.perStep");
        for (String optimizer : new String[] {
            "learningRate", "weightDecay", "warmupSteps", "totalSteps", "gradClipNorm", "gradientAccumulationSteps"
        }) {
            KEYS.put(optimizer, "optimizer." + optimizer);
        }
        KEYS.put("seed", "runtime.seed");
        KEYS.put("device", "runtime.device");
        KEYS.put("mixedPrecision", "runtime.mixedPrecision");
    }

    private LegacyFlatConfig() {}

    /**
     * @param name a setting's flat name, e.g. {@code numLayers}
     * @return its composed key, e.g. {@code stu.numLayers}
     */
    public static Optional<String> composedKey(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    /**
     * @param tree a parsed model config
     * @return whether it is in the flat form: it has a flat name that is no section's, or a textual {@code encoder}
     */
    public static boolean isFlat(JsonNode tree) {
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("encoder") ? tree.get(name).isTextual() : KEYS.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The composed form of a flat config: each setting under its key; an optional group present exactly when its old
     * switch was on (userFeatureSlots &gt; 0, featureGating, idDropoutStart &gt; 0, a rankPackageCounts sum &gt; 0,
     * hardNegativeCacheSize &gt; 0).
     *
     * @param flat the flat config
     * @return the composed tree (absent settings stay absent, so they take their defaults)
     * @throws IllegalArgumentException naming a name the flat form did not have
     */
    public static ObjectNode toComposed(ObjectNode flat) {
        ObjectNode composed = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : flat.properties()) {
            String key = KEYS.get(e.getKey());
            if (key == null) {
                throw new IllegalArgumentException("invalid model config: unknown setting '" + e.getKey()
                        + "' in a flat (legacy) config; the settings of the flat form are " + KEYS.keySet());
            }
            if (!e.getKey().equals("featureGating") && !e.getValue().isNull()) {
                ConfigTree.set(composed, key, e.getValue());
            }
        }
        ObjectNode features = composed.withObjectProperty("features");
        keepWhen(features, "userFeatures", flat.path("userFeatureSlots").asInt(0) > 0);
        keepWhen(features, "gating", flat.path("featureGating").asBoolean(false));
        keepWhen(features, "idDropout", flat.path("idDropoutStart").asDouble(0) > 0);
        ObjectNode task = composed.withObjectProperty("task");
        int packageSize = 0;
        for (JsonNode n : flat.path("rankPackageCounts")) {
            packageSize += n.asInt(0);
        }
        keepWhen(task, "rankPackage", packageSize > 0);
        keepWhen(task, "hardNegatives", flat.path("hardNegativeCacheSize").asInt(0) > 0);
        if (features.isEmpty()) {
            composed.remove("features");
        }
        if (task.isEmpty()) {
            composed.remove("task");
        }
        return composed;
    }

    private static void keepWhen(ObjectNode section, String group, boolean on) {
        if (on) {
            section.withObjectProperty(group);
        } else {
            section.remove(group);
        }
    }
}
