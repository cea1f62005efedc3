/// Translators module placeholder.
public enum TranslatorsModule {}
