/// Admin module placeholder.
public enum AdminModule {}
