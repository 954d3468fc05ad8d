package dev.modelc.graph;

/**
 * The attribute of a {@link Op#DROPOUT}: which call of {@code dropout} in the model it is (each
 * draws its own mask) and the fraction of elements it drops.
 */
public record DropoutSite(int site, double rate) {
}
