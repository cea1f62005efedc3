/// Store module placeholder.
public enum StoreModule {}
